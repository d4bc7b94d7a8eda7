package org.postern.routing;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address to try for a route, in the order delivery should try them.
 *
 * @param hostName   the host the address belongs to (the MX target or configured host), for
 *                   logs, TLS server name checks and per-host limits
 * @param address    where to connect
 * @param port       the TCP port
 * @param preference the MX preference of the host (0 when there was no MX lookup)
 */
public record NextHop(String hostName, InetAddress address, int port, int preference) {

    public NextHop {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
