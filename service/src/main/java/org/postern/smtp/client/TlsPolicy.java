package org.postern.smtp.client;

/**
 * What an outbound session does about STARTTLS (RFC 3207). Failures under any policy are temporary:
 * the message waits in the queue rather than travelling in the clear or bouncing.
 */
public enum TlsPolicy {
    /** Never send STARTTLS, even when offered. */
    NONE,
    /**
     * Send STARTTLS when offered and accept any certificate (RFC 7435, opportunistic security).
     * A refused STARTTLS continues in plain text; a failed handshake fails the session (4.7.5).
     */
    OPPORTUNISTIC,
    /**
     * STARTTLS must be offered and succeed, with the certificate chain verified against the
     * client's trust material and the host name matched against {@link ConnectRequest#tlsHostName()}
     * (SNI sent). Otherwise the session fails temporarily: 4.7.4 when TLS is not offered or refused,
     * 4.7.5 when the handshake or verification fails.
     */
    REQUIRED
}
