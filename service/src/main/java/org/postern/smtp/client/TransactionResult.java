package org.postern.smtp.client;

import java.util.List;
import org.postern.smtp.SmtpReply;

/**
 * What the next hop (or the client, for a refusal it synthesised without sending) answered to one
 * transaction. The queue classifies each recipient by {@link #recipientReply(int)}.
 *
 * @param mailReply   the MAIL reply; null when MAIL was not sent because every recipient was refused
 *                    locally (SMTPUTF8 not offered)
 * @param rcptReplies one reply per recipient, in the message's order. A recipient whose RCPT was not
 *                    sent carries the reason: a synthesised refusal, or the failed MAIL reply
 * @param dataReply   the reply to DATA when it was refused, else the reply to the final dot; null when
 *                    DATA was not reached or no recipient was accepted
 * @param dsnOffered  whether the next hop offered DSN (if not, the queue owes SUCCESS notifications
 *                    itself: RFC 3461 §4.1 "relayed")
 * @param tls         whether the transaction ran under TLS
 * @param lmtpReplies  LMTP (RFC 2033 §4.2): the reply to the final dot for each recipient, in the
 *                     message's order, null for one whose RCPT was not accepted; null for SMTP, where
 *                     {@code dataReply} answers for all
 */
public record TransactionResult(SmtpReply mailReply, List<SmtpReply> rcptReplies, SmtpReply dataReply,
        boolean dsnOffered, boolean tls, List<SmtpReply> lmtpReplies) {

    public TransactionResult {
        rcptReplies = List.copyOf(rcptReplies);
        if (lmtpReplies != null) {
            if (lmtpReplies.size() != rcptReplies.size()) {
                throw new IllegalArgumentException("one LMTP reply slot per recipient");
            }
            lmtpReplies = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(lmtpReplies));
        }
    }

    /** An SMTP result: one reply to the final dot for every recipient. */
    public TransactionResult(SmtpReply mailReply, List<SmtpReply> rcptReplies, SmtpReply dataReply,
            boolean dsnOffered, boolean tls) {
        this(mailReply, rcptReplies, dataReply, dsnOffered, tls, null);
    }

    /**
     * The outcome for recipient {@code i}: the MAIL reply if MAIL failed, else its RCPT reply if
     * that was negative, else the DATA reply.
     */
    public SmtpReply recipientReply(int i) {
        SmtpReply rcpt = rcptReplies.get(i);
        if (mailReply != null && !mailReply.isPositive()) {
            return mailReply;
        }
        if (!rcpt.isPositive() || dataReply == null) {
            return rcpt;
        }
        return finalReply(i);
    }

    /** True when recipient {@code i} was accepted by the final reply (the next hop took the message). */
    public boolean delivered(int i) {
        return mailReply != null && mailReply.isPositive() && rcptReplies.get(i).isPositive()
                && dataReply != null && finalReply(i).isPositive();
    }

    /** The reply to the final dot that answers for recipient {@code i} (DATA's own when DATA was refused). */
    private SmtpReply finalReply(int i) {
        SmtpReply own = lmtpReplies == null ? null : lmtpReplies.get(i);
        return own != null ? own : dataReply;
    }
}
