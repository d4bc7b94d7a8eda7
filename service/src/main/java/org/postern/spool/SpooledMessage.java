package org.postern.spool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.postern.smtp.Envelope;

/**
 * One committed message as the spool knows it, without its content: the envelope, the state and
 * detail of each recipient (same order as {@code envelope.recipients()}), the delivery schedule,
 * the content's length, the file's size in bytes and whether the operator put it on hold.
 *
 * @param states        per recipient; {@link RecipientState#PENDING} until a state is recorded
 * @param details       per recipient, the opaque detail recorded with its last state; null entries where none
 * @param schedule      the last recorded schedule, or no attempts and due at arrival when none was recorded
 * @param contentLength the message's length in bytes, as received
 * @param fileSize      the spool file's size in bytes when read (header, content, trailer and records);
 *                      0 when unknown
 * @param heldSince     when the operator placed the message on hold ({@link Spool#recordHold}); null when
 *                      it is not on hold
 */
public record SpooledMessage(Envelope envelope, List<RecipientState> states, List<String> details,
        DeliverySchedule schedule, long contentLength, long fileSize, Instant heldSince) {

    public SpooledMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(schedule, "schedule");
        states = List.copyOf(states);
        details = Collections.unmodifiableList(new ArrayList<>(details)); // null entries allowed
        int recipients = envelope.recipients().size();
        if (states.size() != recipients || details.size() != recipients) {
            throw new IllegalArgumentException("one state and one detail per recipient needed: " + states.size()
                    + " states and " + details.size() + " details for " + recipients + " recipients");
        }
        if (contentLength < 0 || fileSize < 0) {
            throw new IllegalArgumentException("negative content length or file size");
        }
    }

    /** A message that is not on hold. */
    public SpooledMessage(Envelope envelope, List<RecipientState> states, List<String> details,
            DeliverySchedule schedule, long contentLength, long fileSize) {
        this(envelope, states, details, schedule, contentLength, fileSize, null);
    }

    /** A message with no details, no recorded schedule and an unknown file size (for tests and fakes). */
    public SpooledMessage(Envelope envelope, List<RecipientState> states, long contentLength) {
        this(envelope, states, Collections.nCopies(envelope.recipients().size(), null),
                DeliverySchedule.initial(envelope.arrival()), contentLength, 0);
    }

    public String queueId() {
        return envelope.queueId();
    }

    /** Whether the operator placed the message on hold: it is not attempted until released. */
    public boolean held() {
        return heldSince != null;
    }

    /** True when no recipient is {@link RecipientState#PENDING}: the message may be removed. */
    public boolean isComplete() {
        return states.stream().allMatch(RecipientState::isFinal);
    }
}
