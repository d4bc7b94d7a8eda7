package org.postern.policy;

import java.net.InetAddress;
import java.util.List;

/**
 * Decides whether a client may relay: it is in a relay network, or it authenticated. Postern relays
 * only outbound, so every recipient domain is foreign and this is the whole of the open-relay defence.
 */
public final class RelayPolicy {
    private final List<NetworkRange> relayNetworks;

    public RelayPolicy(List<NetworkRange> relayNetworks) {
        this.relayNetworks = List.copyOf(relayNetworks);
    }

    public boolean isRelayClient(InetAddress client) {
        for (NetworkRange range : relayNetworks) {
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
