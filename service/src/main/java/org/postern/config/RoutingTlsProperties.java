package org.postern.config;

import java.util.Map;
import org.postern.routing.DomainTable;
import org.postern.smtp.client.TlsPolicy;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * STARTTLS to next hops.
 *
 * @param policy              the policy where {@code policies} has no entry: {@code opportunistic}
 *                            (STARTTLS when offered, any certificate), {@code required}, or {@code none}
 * @param policies            next-hop host name or recipient domain (mailertable matching, so
 *                            {@code "[.example.com]"} covers subdomains) to policy. {@code required}
 *                            means STARTTLS must be offered and the certificate must be valid for the
 *                            host name, or the mail is deferred
 * @param trustedCertificates PEM file (or Spring resource location) of the CA certificates that
 *                            {@code required} trusts; empty means the JVM's trust store
 */
public record RoutingTlsProperties(
        @DefaultValue("opportunistic") TlsPolicy policy,
        Map<String, TlsPolicy> policies,
        String trustedCertificates) {

    public RoutingTlsProperties {
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        trustedCertificates = trustedCertificates == null || trustedCertificates.isBlank() ? null : trustedCertificates;
        try {
            new DomainTable<>(policies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postern.routing.tls.policies: " + e.getMessage());
        }
    }
}
