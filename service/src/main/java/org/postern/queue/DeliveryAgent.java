package org.postern.queue;

import java.util.ArrayList;
import java.util.List;
import org.postern.smtp.Envelope;
import org.postern.smtp.Recipient;
import org.postern.smtp.SmtpReply;
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
    }

    private final Spool spool;
    private final NextHopConnector connector;
    private final Recorder recorder;
    private final QueueEvents events;

    DeliveryAgent(Spool spool, NextHopConnector connector, Recorder recorder, QueueEvents events) {
        this.spool = spool;
        this.connector = connector;
        this.recorder = recorder;
        this.events = events;
    }

    /**
     * Runs the job, then marks it done. Returns the session if it may carry the next message to
     * this destination, else null (closed here).
     */
    PooledSession run(DeliveryJob job, PooledSession session, DestinationQueue queue) {
        try {
            return deliver(job, session, queue);
        } finally {
            job.attempt().jobDone();
        }
    }

    private PooledSession deliver(DeliveryJob job, PooledSession session, DestinationQueue queue) {
        QueuedMessage message = job.attempt().message;
        Destination destination = job.destination();
        long maxSize = destination.mailer().maxSize();
        if (maxSize > 0 && message.contentLength > maxSize) {
            recordAll(job, job.recipients(), new DeliveryOutcome.Failed("5.3.4", "message size " + message.contentLength
                    + " exceeds the limit of mailer " + destination.mailer().name() + " (" + maxSize + ")", null,
                    FailureScope.MESSAGE));
            return session;
        }
        int perTransaction = destination.mailer().recipientsPerTransaction();
        List<Integer> recipients = job.recipients();
        for (int from = 0; from < recipients.size(); from += perTransaction) {
            List<Integer> batch = recipients.subList(from, Math.min(recipients.size(), from + perTransaction));
            boolean retried = false;
            while (true) {
                if (session == null) {
                    try {
                        session = connector.connect(destination);
                        events.connection(destination, true, session.session.tlsActive());
                    } catch (ConnectFailure f) {
                        events.connection(destination, false, false);
                        recordAll(job, recipients.subList(from, recipients.size()), f.outcome());
                        // The site failed: what else waits for it gets the same outcome now
                        // instead of each message timing out on its own.
                        for (DeliveryJob other : queue.drainJobs()) {
                            try {
                                recordAll(other, other.recipients(), f.outcome());
                            } finally {
                                other.attempt().jobDone();
                            }
                        }
                        return null;
                    }
                }
                boolean reused = session.messages > 0;
                try {
                    TransactionResult result = session.session.send(outbound(message, batch));
                    session.messages++;
                    for (int i = 0; i < batch.size(); i++) {
                        SmtpReply rcpt = result.rcptReplies().size() > i ? result.rcptReplies().get(i) : null;
                        FailureScope scope = rcpt != null && !rcpt.isPositive() ? FailureScope.RECIPIENT
                                : FailureScope.MESSAGE;
                        job.attempt().relays[batch.get(i)] = session.relay;
                        recorder.record(job.attempt(), batch.get(i), destination,
                                Outcomes.ofReply(result.recipientReply(i), session.remoteMta, result.dsnOffered(), scope));
                    }
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

    private void recordAll(DeliveryJob job, List<Integer> recipients, DeliveryOutcome outcome) {
        for (int i : recipients) {
            recorder.record(job.attempt(), i, job.destination(), outcome);
        }
    }

    private OutboundMessage outbound(QueuedMessage message, List<Integer> batch) {
        Envelope e = message.envelope;
        List<OutboundRecipient> recipients = new ArrayList<>(batch.size());
        for (int i : batch) {
            Recipient r = e.recipients().get(i);
            recipients.add(new OutboundRecipient(r.address(), r.dsnNotify(), r.orcpt()));
        }
        return new OutboundMessage(e.sender(), recipients, e.body(), e.smtpUtf8(), e.ret(), e.envId(),
                message.contentLength, new SpoolContent(spool, e.queueId()));
    }
}
