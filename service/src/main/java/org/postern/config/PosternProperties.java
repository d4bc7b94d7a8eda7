package org.postern.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The root of Postern's configuration, {@code postern.*}. One tree, so that an unknown key anywhere
 * below it fails startup instead of being silently ignored. Defaults live beside each property.
 *
 * @param hostname    the relay's own host name ({@code $j}): EHLO greeting and Received headers;
 *                    blank means the machine's host name
 * @param daemonPorts the SMTP listeners (sendmail DaemonPortOptions), at least one
 * @param policy      who may relay
 * @param limits      per-session and per-message resource limits
 * @param smtp        protocol behaviour of the SMTP server
 * @param auth        SMTP AUTH users and when AUTH is offered
 * @param tls         the server certificate for STARTTLS and SMTPS listeners
 * @param spool       where accepted mail is stored
 * @param routing     where mail goes: smart host, per-domain routes, TLS and AUTH to next hops
 * @param dns         the resolver for MX, A and AAAA lookups
 * @param queue       retries, expiry, delivery concurrency and connection reuse
 * @param mailers     mailer definitions by name (sendmail {@code M} lines), over the built-in SMTP mailers
 * @param timeouts    outbound SMTP timeouts (sendmail {@code Timeout.*})
 */
@Validated
@ConfigurationProperties(prefix = "postern", ignoreUnknownFields = false)
public record PosternProperties(
        @DefaultValue("") String hostname,
        @NotEmpty List<@Valid DaemonPortProperties> daemonPorts,
        @DefaultValue @Valid PolicyProperties policy,
        @DefaultValue @Valid LimitsProperties limits,
        @DefaultValue @Valid SmtpProperties smtp,
        @DefaultValue @Valid AuthProperties auth,
        @DefaultValue @Valid TlsProperties tls,
        @DefaultValue @Valid SpoolProperties spool,
        @DefaultValue @Valid RoutingProperties routing,
        @DefaultValue @Valid DnsProperties dns,
        @DefaultValue @Valid QueueProperties queue,
        Map<String, @Valid MailerProperties> mailers,
        @DefaultValue @Valid TimeoutsProperties timeouts) {

    public PosternProperties {
        daemonPorts = daemonPorts == null ? List.of() : List.copyOf(daemonPorts);
        mailers = mailers == null ? Map.of() : Map.copyOf(mailers);
        long names = daemonPorts.stream().map(DaemonPortProperties::name).distinct().count();
        if (names != daemonPorts.size()) {
            throw new IllegalArgumentException("postern.daemon-ports: each listener needs a distinct name");
        }
    }
}
