package org.postern.mailer;

/**
 * The protocol a mailer speaks to its next hop: sendmail's {@code P=[IPC]} is SMTP; {@code P=[LMTP]}
 * or flag {@code z} is LMTP (RFC 2033) over TCP. Both are the only protocols a network relay has;
 * a program path is rejected when the mailer is defined.
 */
public enum MailerProtocol {
    /** SMTP or ESMTP (RFC 5321): one reply to the final dot for all recipients. */
    SMTP,
    /** LMTP (RFC 2033): LHLO, and one reply per accepted recipient after the final dot. */
    LMTP
}
