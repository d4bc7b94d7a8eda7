package org.postern.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMTP AUTH (PLAIN and LOGIN) for clients outside the relay networks.
 *
 * @param users           user name to password hash in Spring Security's {@code {id}hash} form,
 *                        e.g. {@code {bcrypt}$2a$10$...}; plain text ({@code {noop}}) is refused.
 *                        AUTH is offered only when at least one user is configured
 * @param allowWithoutTls offer AUTH on connections without TLS; off, because PLAIN and LOGIN
 *                        send the password in the clear
 * @param maxFailures     failed AUTH attempts one client address (an IPv6 client: its /64) may make
 *                        within {@code failureWindow}; past it, AUTH gets 454 4.7.0 until the oldest
 *                        failure leaves the window, in every session from that address
 * @param failureWindow   how long a failed AUTH attempt counts against its client address
 */
public record AuthProperties(Map<String, String> users, @DefaultValue("false") boolean allowWithoutTls,
        @Min(1) @DefaultValue("5") int maxFailures, @DefaultValue("5m") Duration failureWindow) {

    public AuthProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        failureWindow = failureWindow == null ? Duration.ofMinutes(5) : failureWindow;
        if (failureWindow.isNegative() || failureWindow.isZero()) {
            throw new IllegalArgumentException("postern.auth.failure-window must be positive");
        }
        users.forEach((user, hash) -> {
            String why = PasswordHashes.problem(hash);
            if (why != null) {
                throw new IllegalArgumentException("postern.auth.users." + user + ": " + why);
            }
        });
    }
}
