package org.postern.smtp.client;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where and how to open one outbound session.
 *
 * @param remote            the next hop's resolved address and port
 * @param tlsHostName       the name the certificate must match under {@link TlsPolicy#REQUIRED} and the
 *                          SNI name; may be null under the other policies
 * @param localBind         source address and port (ClientPortOptions Addr and Port), or null for any
 * @param sendBufferSize    SO_SNDBUF (ClientPortOptions SndBufSize), 0 for the system default
 * @param receiveBufferSize SO_RCVBUF (ClientPortOptions RcvBufSize), 0 for the system default
 * @param heloName          our name in EHLO/HELO
 * @param tls               the STARTTLS policy; null means {@link TlsPolicy#OPPORTUNISTIC}
 * @param credentials       AUTH credentials for the next hop, or null
 * @param authWithoutTls    whether AUTH may be sent on a session without TLS
 */
public record ConnectRequest(InetSocketAddress remote, String tlsHostName, InetSocketAddress localBind,
        int sendBufferSize, int receiveBufferSize, String heloName, TlsPolicy tls, ClientCredentials credentials,
        boolean authWithoutTls) {

    public ConnectRequest {
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address must be resolved: " + remote);
        }
        Objects.requireNonNull(heloName, "heloName");
        if (heloName.isEmpty() || !isPrintableWord(heloName)) {
            throw new IllegalArgumentException("heloName must be a single printable word");
        }
        if (tls == null) {
            tls = TlsPolicy.OPPORTUNISTIC;
        }
        if (tls == TlsPolicy.REQUIRED && (tlsHostName == null || tlsHostName.isEmpty())) {
            throw new IllegalArgumentException("TLS policy REQUIRED needs a tlsHostName to verify");
        }
        if (sendBufferSize < 0 || receiveBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must not be negative");
        }
    }

    /** A plain request: no source binding, default buffers, opportunistic TLS, no AUTH. */
    public static ConnectRequest to(InetSocketAddress remote, String heloName) {
        return new ConnectRequest(remote, null, null, 0, 0, heloName, TlsPolicy.OPPORTUNISTIC, null, false);
    }

    public ConnectRequest withTls(TlsPolicy policy, String hostName) {
        return new ConnectRequest(remote, hostName, localBind, sendBufferSize, receiveBufferSize, heloName, policy,
                credentials, authWithoutTls);
    }

    public ConnectRequest withCredentials(ClientCredentials newCredentials, boolean allowWithoutTls) {
        return new ConnectRequest(remote, tlsHostName, localBind, sendBufferSize, receiveBufferSize, heloName, tls,
                newCredentials, allowWithoutTls);
    }

    public ConnectRequest withSource(InetSocketAddress bind, int sndBuf, int rcvBuf) {
        return new ConnectRequest(remote, tlsHostName, bind, sndBuf, rcvBuf, heloName, tls, credentials,
                authWithoutTls);
    }

    public ConnectRequest withHelo(String name) {
        return new ConnectRequest(remote, tlsHostName, localBind, sendBufferSize, receiveBufferSize, name, tls,
                credentials, authWithoutTls);
    }

    static boolean isPrintableWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 127) {
                return false;
            }
        }
        return true;
    }
}
