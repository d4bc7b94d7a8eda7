package org.postern.smtp.client;

import org.postern.smtp.SmtpReply;

/**
 * Replies the client synthesises when it refuses something itself, each with its enhanced status
 * code (RFC 3463), so the queue classifies them exactly like replies from a next hop.
 */
public final class ClientReplies {
    private ClientReplies() {
    }

    /** The message exceeds the SIZE the next hop announced (RFC 1870): nothing was sent. */
    public static final SmtpReply MESSAGE_TOO_BIG =
            SmtpReply.of(552, "5.3.4", "Message size exceeds the fixed maximum message size of the next hop");
    /** An internationalized address, and the next hop does not offer SMTPUTF8 (RFC 6531 §3.2). */
    public static final SmtpReply SMTPUTF8_NOT_OFFERED =
            SmtpReply.of(553, "5.6.7", "Next hop does not support SMTPUTF8, required for this address");
    /** TLS is required by policy but the next hop does not offer STARTTLS or refuses it. */
    public static final SmtpReply TLS_NOT_AVAILABLE =
            SmtpReply.of(454, "4.7.4", "TLS required but not offered by the next hop");
    /** The TLS handshake failed: certificate not trusted, name mismatch, or protocol failure. */
    public static final SmtpReply TLS_FAILED =
            SmtpReply.of(454, "4.7.5", "TLS handshake or certificate verification failed");
    /** The next hop spoke out of turn or sent a malformed or oversized reply. */
    public static final SmtpReply PROTOCOL_ERROR = SmtpReply.of(451, "4.5.0", "SMTP protocol error from the next hop");
    /**
     * The next hop gave our own host name in its EHLO/HELO reply: it is us, and the mail would loop
     * (sendmail's "mail loops back to me (MX problem?)"; mailer flag {@code k} turns the check off).
     */
    public static final SmtpReply MAIL_LOOP = SmtpReply.of(451, "4.4.6", "mail loops back to me (MX problem?)");
    /** AUTH at the next hop failed; temporary, since the credentials may be fixed. */
    public static final SmtpReply AUTH_FAILED = SmtpReply.of(454, "4.7.0", "Authentication at the next hop failed");
}
