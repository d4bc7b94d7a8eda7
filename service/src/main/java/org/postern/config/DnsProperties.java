package org.postern.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.postern.dns.DnsSettings;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The DNS resolver used for MX, A and AAAA lookups.
 *
 * @param servers  resolvers as {@code host:port} ({@code 127.0.0.1:5353}, {@code [::1]:53}); empty
 *                 means the machine's resolvers ({@code /etc/resolv.conf})
 * @param timeout  how long one query waits for an answer
 * @param attempts how often a query is sent before it counts as timed out (a temporary failure)
 */
public record DnsProperties(
        List<String> servers,
        @DefaultValue("5s") Duration timeout,
        @Min(1) @DefaultValue("2") int attempts) {

    public DnsProperties {
        servers = servers == null ? List.of() : List.copyOf(servers);
        for (int i = 0; i < servers.size(); i++) {
            try {
                DnsSettings.parseServer(servers.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postern.dns.servers[" + i + "]: " + e.getMessage());
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("postern.dns.timeout must be positive");
        }
    }

    public DnsSettings settings() {
        return new DnsSettings(servers.stream().map(DnsSettings::parseServer).toList(), timeout, attempts);
    }
}
