package org.postern.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Map;
import org.postern.smtp.AddressFamily;
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
 * @param clientPorts outbound connections per address family (sendmail ClientPortOptions), at most
 *                    one per family; when any is given, only the families listed are used
 * @param clientFamilyPreference the family tried first when a next hop has addresses of both
 * @param health      thresholds of the health indicators (readiness: spool space; queue warnings)
 * @param drain       what a stopping relay does: drain timeout and handoff peer
 * @param rewriting   named address-rewriting rule sets (masquerading, genericstable, domaintable)
 *                    that mailers' {@code sender} ({@code S=}) and {@code recipient} ({@code R=}) name
 * @param headers     header lines (sendmail {@code H} lines), over sendmail's standard ones; see docs/headers.md
 * @param headerChecks header check rulesets by name, for {@code HName: $>Ruleset} lines
 * @param macros      the operator's own macros (sendmail {@code D} lines): {@code ${Name}} in header lines
 * @param queueEndpoint the {@code /actuator/queue} endpoint: whether its write operations are enabled
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
        @DefaultValue @Valid TimeoutsProperties timeouts,
        List<@Valid ClientPortProperties> clientPorts,
        @DefaultValue("inet") AddressFamily clientFamilyPreference,
        @DefaultValue @Valid HealthProperties health,
        @DefaultValue @Valid DrainProperties drain,
        Map<String, @Valid RewritingProperties> rewriting,
        List<@Valid HeaderRuleProperties> headers,
        Map<String, List<@Valid HeaderCheckProperties>> headerChecks,
        Map<String, String> macros,
        @DefaultValue @Valid QueueEndpointProperties queueEndpoint) {

    public PosternProperties {
        daemonPorts = daemonPorts == null ? List.of() : List.copyOf(daemonPorts);
        mailers = mailers == null ? Map.of() : Map.copyOf(mailers);
        clientPorts = clientPorts == null ? List.of() : List.copyOf(clientPorts);
        rewriting = rewriting == null ? Map.of() : Map.copyOf(rewriting);
        headers = headers == null ? List.of() : List.copyOf(headers);
        headerChecks = headerChecks == null ? Map.of() : Map.copyOf(headerChecks);
        macros = macros == null ? Map.of() : Map.copyOf(macros);
        for (int i = 0; i < clientPorts.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (clientPorts.get(i).family() == clientPorts.get(j).family()) {
                    throw new IllegalArgumentException("postern.client-ports[" + i + "]: a second entry for family "
                            + clientPorts.get(i).family().sendmailName() + " (the first is postern.client-ports[" + j
                            + "]); ClientPortOptions allows one entry per family");
                }
            }
        }
        long names = daemonPorts.stream().map(DaemonPortProperties::name).distinct().count();
        if (names != daemonPorts.size()) {
            throw new IllegalArgumentException("postern.daemon-ports: each listener needs a distinct name");
        }
    }
}
