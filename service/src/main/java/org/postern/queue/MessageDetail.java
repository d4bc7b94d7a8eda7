package org.postern.queue;

import java.time.Instant;
import java.util.List;

/**
 * Everything the queue knows about one message, for an operator ({@code postcat -e} without the
 * content): the envelope with its DSN parameters, where it came from, each recipient's state and
 * last outcome, and its schedule.
 *
 * @param queueId       its queue id
 * @param state         {@code active}, {@code waiting} or {@code held} (as in {@link QueueListing.Entry})
 * @param held          whether it is on hold (also while an attempt started before the hold runs)
 * @param heldSince     when it was placed on hold, or null
 * @param arrival       when it was accepted
 * @param expires       when its pending recipients are returned to the sender (arrival plus the
 *                      lifetime); a held message does not expire while held
 * @param sender        the envelope sender, empty for the null sender
 * @param size          the content's size in octets
 * @param body          the BODY parameter ({@code 7BIT} or {@code 8BITMIME})
 * @param smtpUtf8      whether it was sent with SMTPUTF8
 * @param ret           the DSN RET parameter ({@code FULL}, {@code HDRS}), or null
 * @param envId         the DSN ENVID parameter (xtext as received), or null
 * @param origin        the SMTP session it came in
 * @param attempts      delivery attempts made
 * @param nextAttempt   when a waiting message is next attempted; null when active or held
 * @param delayNotified whether the delay notice was sent
 * @param recipients    one per envelope recipient, in RCPT order
 */
public record MessageDetail(String queueId, String state, boolean held, Instant heldSince, Instant arrival,
        Instant expires, String sender, long size, String body, boolean smtpUtf8, String ret, String envId,
        Origin origin, int attempts, Instant nextAttempt, boolean delayNotified, List<Recipient> recipients) {

    public MessageDetail {
        recipients = List.copyOf(recipients);
    }

    /**
     * The session a message arrived in.
     *
     * @param listener        the daemon port's name
     * @param clientAddress   the client's IP address
     * @param clientName      the client's host name, or null
     * @param helo            the EHLO/HELO argument
     * @param protocol        SMTP, ESMTP, ESMTPS, ESMTPSA, ...
     * @param authenticatedAs the SASL identity, or null
     */
    public record Origin(String listener, String clientAddress, String clientName, String helo, String protocol,
            String authenticatedAs) {
    }

    /**
     * One recipient.
     *
     * @param address   the envelope recipient
     * @param dsnNotify the DSN NOTIFY values (empty: the default, failures and delays)
     * @param orcpt     the DSN ORCPT parameter (xtext as received), or null
     * @param state     {@code pending}, {@code delivered} or {@code failed}
     * @param action    for a final recipient, the DSN action recorded ({@code delivered}, {@code relayed},
     *                  {@code failed}, {@code discarded}); {@code delayed} for a pending one that was
     *                  deferred; null when nothing is known
     * @param status    the RFC 3463 status of that outcome, or null
     * @param remoteMta the next hop that gave it, or null
     * @param reply     the next hop's reply or our reason, or null
     * @param at        when a final outcome was recorded (null for a deferral: not kept on disk)
     */
    public record Recipient(String address, List<String> dsnNotify, String orcpt, String state, String action,
            String status, String remoteMta, String reply, Instant at) {

        public Recipient {
            dsnNotify = List.copyOf(dsnNotify);
        }
    }
}
