package org.postern.config;

import java.util.List;
import org.postern.policy.NetworkRange;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may relay.
 *
 * @param relayNetworks clients in these CIDR ranges (IPv4 or IPv6) may relay without AUTH;
 *                      the default is loopback only, so Postern is never an open relay out of the box
 */
public record PolicyProperties(@DefaultValue({"127.0.0.0/8", "::1/128"}) List<String> relayNetworks) {

    public PolicyProperties {
        relayNetworks = relayNetworks == null ? List.of() : List.copyOf(relayNetworks);
        for (String network : relayNetworks) { // fails startup naming the property, the bad entry and why
            try {
                NetworkRange.parse(network);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postern.policy.relay-networks: " + e.getMessage(), e);
            }
        }
    }

    public List<NetworkRange> relayRanges() {
        return relayNetworks.stream().map(NetworkRange::parse).toList();
    }
}
