package org.postern.smtp.server;

import java.net.InetAddress;
import java.util.Set;
import org.postern.config.DaemonModifiers;
import org.postern.smtp.AddressFamily;

/**
 * One listener, resolved from a DaemonPortOptions entry: where it listens and which sendmail
 * modifiers shape its sessions.
 *
 * @param sndBufSize 0 keeps the system default
 * @param rcvBufSize 0 keeps the system default
 * @param children   most concurrent sessions on this listener, 0 for no listener-level cap
 */
public record DaemonPort(String name, InetAddress address, int port, AddressFamily family, int backlog,
        Set<DaemonModifiers> modifiers, int sndBufSize, int rcvBufSize, int children) {

    public DaemonPort {
        modifiers = Set.copyOf(modifiers);
    }

    public boolean has(DaemonModifiers modifier) {
        return modifiers.contains(modifier);
    }

    /** sendmail's {@code ${daemon_flags}}: the modifier letters as configured. */
    public String flags() {
        StringBuilder s = new StringBuilder();
        for (DaemonModifiers m : DaemonModifiers.values()) {
            if (modifiers.contains(m)) {
                s.append(m.flag());
            }
        }
        return s.toString();
    }
}
