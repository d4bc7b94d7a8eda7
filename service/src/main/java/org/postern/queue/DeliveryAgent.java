package org.postern.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.postern.mailer.MailerAddresses;
import org.postern.mailer.MailerDefinition;
import org.postern.rewriting.HeaderRewriter;
import org.postern.rewriting.MailerRewriting;
import org.postern.rewriting.MailerRewritings;
import org.postern.rewriting.RewrittenContent;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.smtp.SmtpReply;
import org.postern.smtp.client.OutboundContent;
import org.postern.smtp.client.OutboundMessage;
import org.postern.smtp.client.OutboundRecipient;
import org.postern.smtp.client.SmtpClientException;
import org.postern.smtp.client.TransactionResult;
import org.postern.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one job (some recipients of one message, one destination) over an SMTP session: batches
 * recipients as the mailer allows ({@code m} flag, {@code r=}), opens a session when it has none,
 * and records each recipient's outcome as soon as its reply is in. A cached session that turns out
 * to be dead is replaced once, transparently.
 */
final class DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(DeliveryAgent.class);

    /** Records one recipient's outcome durably; see QueueManager#record. */
    interface Recorder {
        void record(MessageAttempt attempt, int recipient, Destination destination, DeliveryOutcome outcome);

        /** The outcomes of one transaction's recipients, in order; see QueueManager#recordAll. */
        default void recordAll(MessageAttempt attempt, List<Integer> recipients, Destination destination,
                List<DeliveryOutcome> outcomes) {
            for (int k = 0; k < recipients.size(); k++) {
                record(attempt, recipients.get(k), destination, outcomes.get(k));
            }
        }
    }

    private final Spool spool;
    private final NextHopConnector connector;
    private final Recorder recorder;
    private final QueueEvents events;
    private final DestinationGuard guard;
    private final Supplier<MailerRewritings> rewritings;
    private final Supplier<OutboundHeaders> headers;

    /**
     * @param rewritings each mailer's S= and R= address rewriting, applied to what is sent
     * @param headers    the delivery-time header editing (postern.headers)
     */
    DeliveryAgent(Spool spool, NextHopConnector connector, Recorder recorder, QueueEvents events,
            DestinationGuard guard, Supplier<MailerRewritings> rewritings, Supplier<OutboundHeaders> headers) {
        this.spool = spool;
        this.connector = connector;
        this.recorder = recorder;
        this.events = events;
        this.guard = guard;
        this.rewritings = rewritings;
        this.headers = headers;
    }

    /** A circuit-breaker call in progress: when the connection opened for the current batch was started, or -1. */
    private static final class BreakerCall {
        long start = -1;
    }

    /**
     * Runs the job, then marks it done. Returns the session if it may carry the next message to
     * this destination, else null (closed here).
     */
    PooledSession run(DeliveryJob job, PooledSession session, DestinationQueue queue) {
        BreakerCall call = new BreakerCall();
        try {
            return deliver(job, session, queue, call);
        } finally {
            if (call.start >= 0) {
                guard.callAbandoned(job.destination());
            }
            job.attempt().jobDone();
        }
    }

    /** Gives every recipient of the job this outcome without trying them (e.g. the destination's bulkhead is full). */
    void refuse(DeliveryJob job, DeliveryOutcome outcome) {
        try {
            recordAll(job, job.recipients(), outcome);
        } finally {
            job.attempt().jobDone();
        }
    }

    private PooledSession deliver(DeliveryJob job, PooledSession session, DestinationQueue queue, BreakerCall call) {
        QueuedMessage message = job.attempt().message;
        Destination destination = job.destination();
        long maxSize = destination.mailer().maxSize();
        if (maxSize > 0 && message.contentLength > maxSize) {
            recordAll(job, job.recipients(), new DeliveryOutcome.Failed("5.3.4", "message size " + message.contentLength
                    + " exceeds the limit of mailer " + destination.mailer().name() + " (" + maxSize + ")", null,
                    FailureScope.MESSAGE));
            return session;
        }
        DeliveryOutcome throttled = guard.awaitMessagePermit(destination);
        if (throttled != null) {
            recordAll(job, job.recipients(), throttled);
            return session;
        }
        int perTransaction = destination.mailer().recipientsPerTransaction();
        List<Integer> recipients = job.recipients();
        for (int from = 0; from < recipients.size(); from += perTransaction) {
            List<Integer> batch = recipients.subList(from, Math.min(recipients.size(), from + perTransaction));
            boolean retried = false;
            while (true) {
                if (session == null) {
                    if (!guard.tryConnect(destination)) {
                        siteFailed(job, recipients.subList(from, recipients.size()), queue, guard.circuitOpen(destination));
                        return null;
                    }
                    call.start = System.nanoTime();
                    try {
                        session = connector.connect(destination);
                        events.connection(destination, true, session.session.tlsActive());
                    } catch (ConnectFailure f) {
                        guard.callFailed(destination, call.start, f);
                        call.start = -1;
                        events.connection(destination, false, false);
                        siteFailed(job, recipients.subList(from, recipients.size()), queue, f.outcome());
                        return null;
                    }
                }
                boolean reused = session.messages > 0;
                try {
                    TransactionResult result = session.session.send(outbound(message, batch, destination, session));
                    if (call.start >= 0) {
                        guard.callSucceeded(destination, call.start);
                        call.start = -1;
                    }
                    session.messages++;
                    List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        SmtpReply rcpt = result.rcptReplies().size() > i ? result.rcptReplies().get(i) : null;
                        FailureScope scope = rcpt != null && !rcpt.isPositive() ? FailureScope.RECIPIENT
                                : FailureScope.MESSAGE;
                        job.attempt().relays[batch.get(i)] = session.relay;
                        outcomes.add(Outcomes.ofReply(result.recipientReply(i), session.remoteMta, result.dsnOffered(), scope));
                    }
                    recorder.recordAll(job.attempt(), batch, destination, outcomes); // one transaction, recorded together
                    break;
                } catch (SmtpClientException e) {
                    String remote = session.remoteMta;
                    for (int i : batch) {
                        job.attempt().relays[i] = session.relay;
                    }
                    session.closeQuietly();
                    session = null;
                    if (reused && !retried && e.reply() == null && e.phase() != null
                            && switch (e.phase()) {
                                case RSET, MAIL -> true;
                                default -> false;
                            }) {
                        // An idle cached connection the peer had already closed: nothing was
                        // accepted, so try once more on a fresh one.
                        log.debug("{}: cached session to {} failed at {}, reconnecting", destination, remote, e.phase());
                        retried = true;
                        continue;
                    }
                    if (e.reply() == null) {
                        guard.callFailed(destination, call.start, e); // the session broke: a site failure
                    } else if (call.start >= 0) {
                        guard.callSucceeded(destination, call.start); // the next hop answered
                    }
                    call.start = -1;
                    recordAll(job, batch, Outcomes.ofException(e, remote));
                    break;
                }
            }
            int maxMessages = destination.mailer().maxMessages();
            if (session != null && (!session.session.isReusable() || maxMessages > 0 && session.messages >= maxMessages)) {
                session.quitQuietly();
                session = null;
            }
        }
        return session;
    }

    /**
     * The site failed (or its circuit is open): what else waits for it gets the same outcome now
     * instead of each message timing out on its own.
     */
    private void siteFailed(DeliveryJob job, List<Integer> recipients, DestinationQueue queue, DeliveryOutcome outcome) {
        recordAll(job, recipients, outcome);
        for (DeliveryJob other : queue.drainJobs()) {
            try {
                recordAll(other, other.recipients(), outcome);
            } finally {
                other.attempt().jobDone();
            }
        }
    }

    private void recordAll(DeliveryJob job, List<Integer> recipients, DeliveryOutcome outcome) {
        for (int i : recipients) {
            recorder.record(job.attempt(), i, job.destination(), outcome);
        }
    }

    /**
     * The transaction as this mailer sends it: headers edited by the header rules, envelope and
     * headers rewritten by its S= and R=, then the mailer flags' address forms (g, u, h, s, B). The
     * spool keeps the addresses as received, so DSNs name them; a recipient rewritten without an
     * ORCPT gets one holding the received address (RFC 3461 §4.2), for DSNs from further on.
     */
    private OutboundMessage outbound(QueuedMessage message, List<Integer> batch, Destination destination,
            PooledSession session) {
        Envelope e = message.envelope;
        MailerDefinition mailer = destination.mailer();
        MailerRewriting rewriting = rewritings.get().forMailer(mailer.name());
        List<OutboundRecipient> recipients = new ArrayList<>(batch.size());
        for (int i : batch) {
            Recipient r = e.recipients().get(i);
            MailAddress to = rewriting.recipient(r.address());
            String orcpt = r.orcpt() == null && !to.equals(r.address())
                    ? MailerRewriting.originalRecipient(r.address()) : r.orcpt();
            recipients.add(new OutboundRecipient(MailerAddresses.recipient(mailer, to), r.dsnNotify(), orcpt));
        }
        // Header rules apply per mailer and connection: the spooled content with its header edited.
        OutboundHeaders.Prepared prepared = headers.get().prepare(spool, message, destination, batch, session);
        OutboundContent content = prepared.content();
        HeaderRewriter rewriter = rewriting.headers();
        if (rewriter != null) {
            content = new RewrittenContent(content, rewriter);
        }
        return new OutboundMessage(MailerAddresses.sender(mailer, rewriting.sender(e.sender()), connector.heloName()),
                recipients, e.body(), e.smtpUtf8(), e.ret(), e.envId(), prepared.size(), content);
    }
}
