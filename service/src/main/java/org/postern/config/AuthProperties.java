package org.postern.config;

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
 */
public record AuthProperties(Map<String, String> users, @DefaultValue("false") boolean allowWithoutTls) {

    public AuthProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        users.forEach((user, hash) -> {
            String why = PasswordHashes.problem(hash);
            if (why != null) {
                throw new IllegalArgumentException("postern.auth.users." + user + ": " + why);
            }
        });
    }
}
