package org.postern.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides whether a client may relay: it is in a relay network, or it authenticated. Postern relays
 * only outbound, so every recipient domain is foreign and this is the whole of the open-relay defence.
 */
public final class RelayPolicy {
    private final Supplier<List<NetworkRange>> relayNetworks;

    public RelayPolicy(List<NetworkRange> relayNetworks) {
        List<NetworkRange> fixed = List.copyOf(relayNetworks);
        this.relayNetworks = () -> fixed;
    }

    private RelayPolicy(Supplier<List<NetworkRange>> relayNetworks) {
        this.relayNetworks = relayNetworks;
    }

    /**
     * A policy that asks {@code current} at each decision, so a runtime refresh of the relay networks
     * applies to sessions already open, from their next RCPT.
     */
    public static RelayPolicy following(Supplier<RelayPolicy> current) {
        return new RelayPolicy(() -> current.get().relayNetworks.get());
    }

    public boolean isRelayClient(InetAddress client) {
        for (NetworkRange range : relayNetworks.get()) {
            if (range.contains(client)) {
                return true;
            }
        }
        return false;
    }

    public boolean mayRelay(InetAddress client, boolean authenticated) {
        return authenticated || isRelayClient(client);
    }
}
