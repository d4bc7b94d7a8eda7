package org.postern.smtp.client;

import java.net.InetSocketAddress;
import org.postern.smtp.AddressFamily;

/**
 * How outbound connections of one address family are made: sendmail's ClientPortOptions entry for
 * that family. A restriction here applies only to connections of this family.
 *
 * @param family        the address family this entry governs
 * @param bind          source address and port to bind to, or null for the system's choice
 * @param sendBuffer    SO_SNDBUF, 0 for the system default
 * @param receiveBuffer SO_RCVBUF, 0 for the system default
 * @param interfaceHelo modifier {@code h}: EHLO with the outgoing interface's (qualified) name
 * @param noAuth        modifier {@code A}: no AUTH
 * @param noStartTls    modifier {@code S}: no STARTTLS
 * @param flags         the modifiers as configured ({@code ${client_flags}})
 */
public record ClientPort(AddressFamily family, InetSocketAddress bind, int sendBuffer, int receiveBuffer,
        boolean interfaceHelo, boolean noAuth, boolean noStartTls, String flags) {

    /** The behaviour for a family without an entry: sendmail's defaults. */
    public static ClientPort defaults(AddressFamily family) {
        return new ClientPort(family, null, 0, 0, false, false, false, "");
    }

    /**
     * Whether {@code name} may be used in EHLO for modifier {@code h}: sendmail's test that it is
     * a qualified host name, not an address literal.
     */
    public static boolean isQualifiedHeloName(String name) {
        return name != null && name.indexOf('.') >= 0 && !name.startsWith("[") && ConnectRequest.isPrintableWord(name);
    }
}
