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
    DeliverySchedule schedule;

    private QueuedMessage(Envelope envelope, RecipientState[] states, StoredOutcome[] outcomes, long contentLength,
            DeliverySchedule schedule) {
        this.envelope = envelope;
        this.states = states;
        this.outcomes = outcomes;
        this.contentLength = contentLength;
        this.schedule = schedule;
    }

    /** A message just accepted: nothing attempted, nothing to read back from disk. */
    static QueuedMessage fresh(Envelope envelope, long contentLength) {
        int n = envelope.recipients().size();
        RecipientState[] states = new RecipientState[n];
        java.util.Arrays.fill(states, RecipientState.PENDING);
        return new QueuedMessage(envelope, states, new StoredOutcome[n], contentLength,
                new DeliverySchedule(0, envelope.arrival(), false));
    }

    static QueuedMessage of(SpooledMessage spooled) {
        int n = spooled.states().size();
        StoredOutcome[] outcomes = new StoredOutcome[n];
        List<String> details = spooled.details();
        for (int i = 0; i < n; i++) {
            outcomes[i] = StoredOutcome.decode(details.get(i));
        }
        return new QueuedMessage(spooled.envelope(), spooled.states().toArray(new RecipientState[0]), outcomes,
                spooled.contentLength(), spooled.schedule());
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
