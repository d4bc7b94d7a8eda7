package org.postern.config;

import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postern.mailer.Mailers;
import org.postern.routing.DomainTable;
import org.postern.routing.RouteParser;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where mail goes: sendmail's mailertable and SMART_HOST. A recipient domain found in
 * {@code domains} takes that route; otherwise the smart host, if set; otherwise the recipient
 * domain's MX hosts through the {@code esmtp} mailer.
 *
 * @param smartHost sendmail's SMART_HOST: {@code [host]:port} (no MX lookup), {@code host} (MX
 *                  lookup), optionally with a mailer, {@code relay:[smtp.example.net]:587}; the
 *                  mailer defaults to {@code relay}
 * @param domains   the mailertable: recipient domain to route; {@code example.com} matches the
 *                  domain, {@code .example.com} its subdomains, the longest match wins. Values as
 *                  for the smart host (mailer defaults to {@code esmtp}), or {@code error:D.S.N:code text},
 *                  or {@code discard:}. Keys with a leading dot need brackets in YAML: {@code "[.example.com]"}
 * @param tls       STARTTLS policy per next hop
 * @param auth      credentials per next-hop host name (the smart host's or a route's), for AUTH PLAIN/LOGIN
 */
public record RoutingProperties(
        String smartHost,
        Map<String, String> domains,
        @DefaultValue @Valid RoutingTlsProperties tls,
        Map<String, @Valid RelayAuthProperties> auth) {

    public RoutingProperties {
        smartHost = smartHost == null || smartHost.isBlank() ? null : smartHost.strip();
        domains = domains == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(domains));
        auth = auth == null ? Map.of() : Map.copyOf(auth);
        if (smartHost != null) {
            try {
                RouteParser.parse(smartHost, Mailers.SMART_HOST_DEFAULT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postern.routing.smart-host: " + e.getMessage());
            }
        }
        domains.forEach((domain, route) -> {
            try {
                RouteParser.parse(route, Mailers.DEFAULT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postern.routing.domains[" + domain + "]: " + e.getMessage());
            }
        });
        try {
            new DomainTable<>(domains);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postern.routing.domains: " + e.getMessage());
        }
    }
}
