package org.postern.spool;

import java.util.List;
import java.util.Objects;
import org.postern.smtp.Envelope;

/**
 * One committed message as the spool knows it, without its content: the envelope, the state of
 * each recipient (same order as {@code envelope.recipients()}) and the content's length in bytes.
 */
public record SpooledMessage(Envelope envelope, List<RecipientState> states, long contentLength) {

    public SpooledMessage {
        Objects.requireNonNull(envelope, "envelope");
        states = List.copyOf(states);
        if (states.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException("one state per recipient needed: " + states.size()
                    + " states for " + envelope.recipients().size() + " recipients");
        }
        if (contentLength < 0) {
            throw new IllegalArgumentException("negative content length");
        }
    }

    public String queueId() {
        return envelope.queueId();
    }

    /** True when no recipient is {@link RecipientState#PENDING}: the message may be removed. */
    public boolean isComplete() {
        return states.stream().allMatch(RecipientState::isFinal);
    }
}
