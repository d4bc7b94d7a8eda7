package org.postern.smtp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about one accepted message besides its content: the SMTP envelope, its DSN
 * parameters and the session it arrived in. Stored in the spool beside the content.
 *
 * @param queueId         unique id, sorts by arrival
 * @param arrival         when the message was accepted
 * @param sender          the reverse-path ({@link MailAddress#NULL_SENDER} for {@code <>})
 * @param recipients      the accepted recipients, in RCPT order
 * @param body            the BODY parameter
 * @param smtpUtf8        whether MAIL FROM carried SMTPUTF8
 * @param ret             the DSN RET parameter, or null
 * @param envId           the DSN ENVID parameter as received (xtext), or null
 * @param clientAddress   the client's IP address, as text
 * @param clientName      the client's host name if known, or null
 * @param heloName        the EHLO/HELO argument
 * @param authenticatedAs the SASL identity, or null when the session did not authenticate
 * @param protocol        the RFC 3848 / RFC 6531 protocol name (SMTP, ESMTPS, UTF8SMTPSA, ...)
 * @param listener        the name of the daemon port the message came in on
 * @param sourceAddress   the local address the session was accepted on, kept when its listener has
 *                        DaemonPortOptions modifier {@code b} (sendmail's {@code ${if_addr}} with
 *                        {@code b} in {@code ${daemon_flags}}): delivery binds to it. Null otherwise
 */
public record Envelope(
        String queueId,
        Instant arrival,
        MailAddress sender,
        List<Recipient> recipients,
        BodyType body,
        boolean smtpUtf8,
        DsnReturn ret,
        String envId,
        String clientAddress,
        String clientName,
        String heloName,
        String authenticatedAs,
        String protocol,
        String listener,
        String sourceAddress) {

    public Envelope {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(body, "body");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
    }

    /** An envelope without a source address (its listener has no modifier {@code b}). */
    public Envelope(String queueId, Instant arrival, MailAddress sender, List<Recipient> recipients, BodyType body,
            boolean smtpUtf8, DsnReturn ret, String envId, String clientAddress, String clientName, String heloName,
            String authenticatedAs, String protocol, String listener) {
        this(queueId, arrival, sender, recipients, body, smtpUtf8, ret, envId, clientAddress, clientName, heloName,
                authenticatedAs, protocol, listener, null);
    }
}
