package org.postern.queue;

import java.time.Instant;
import java.util.List;
import org.postern.smtp.Envelope;
import org.postern.spool.DeliverySchedule;
import org.postern.spool.RecipientState;
import org.postern.spool.SpooledMessage;

/**
 * A message as the queue works on it during one attempt: the envelope, each recipient's state and
 * stored final outcome, and the retry schedule, as last read from (or written to) the spool.
 */
final class QueuedMessage {
    final Envelope envelope;
    final RecipientState[] states;
    final StoredOutcome[] outcomes;
    final long contentLength;
    /**
     * The content's header block as received, without the line that ended it, for header rules; null
     * when it must be read from the spool (a message read back from the spool, or a large header).
     */
    final byte[] headerBlock;
    DeliverySchedule schedule;

    private QueuedMessage(Envelope envelope, RecipientState[] states, StoredOutcome[] outcomes, long contentLength,
            DeliverySchedule schedule, byte[] headerBlock) {
        this.envelope = envelope;
        this.states = states;
        this.outcomes = outcomes;
        this.contentLength = contentLength;
        this.schedule = schedule;
        this.headerBlock = headerBlock;
    }

    /** A message just accepted: nothing attempted, nothing to read back from disk. */
    static QueuedMessage fresh(Envelope envelope, long contentLength) {
        return fresh(envelope, contentLength, null);
    }

    /** As {@link #fresh(Envelope, long)}, with the header block the session kept (or null). */
    static QueuedMessage fresh(Envelope envelope, long contentLength, byte[] headerBlock) {
        int n = envelope.recipients().size();
        RecipientState[] states = new RecipientState[n];
        java.util.Arrays.fill(states, RecipientState.PENDING);
        return new QueuedMessage(envelope, states, new StoredOutcome[n], contentLength,
                new DeliverySchedule(0, envelope.arrival(), false), headerBlock);
    }

    static QueuedMessage of(SpooledMessage spooled) {
        int n = spooled.states().size();
        StoredOutcome[] outcomes = new StoredOutcome[n];
        List<String> details = spooled.details();
        for (int i = 0; i < n; i++) {
            outcomes[i] = StoredOutcome.decode(details.get(i));
        }
        return new QueuedMessage(spooled.envelope(), spooled.states().toArray(new RecipientState[0]), outcomes,
                spooled.contentLength(), spooled.schedule(), null);
    }

    String queueId() {
        return envelope.queueId();
    }

    boolean hasPending() {
        for (RecipientState s : states) {
            if (s == RecipientState.PENDING) {
                return true;
            }
        }
        return false;
    }

    Instant arrival() {
        return envelope.arrival();
    }
}
