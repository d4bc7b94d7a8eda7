package org.postern.spool;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a message stands in its retry schedule, kept in the spool so that a restart neither
 * forgets how often delivery was tried nor sends a second delay notice. The spool stores it as an
 * appended {@code schedule} record (see {@code docs/spool-format.md}); the delivery queue decides
 * what the values mean.
 *
 * @param attempts       delivery attempts made so far (0 for a new message)
 * @param nextAttempt    when the next attempt is due
 * @param delayNotified  whether a delay notice (DSN action "delayed") has been sent
 */
public record DeliverySchedule(int attempts, Instant nextAttempt, boolean delayNotified) {

    public DeliverySchedule {
        if (attempts < 0) {
            throw new IllegalArgumentException("negative attempt count: " + attempts);
        }
        Objects.requireNonNull(nextAttempt, "nextAttempt");
    }

    /** The schedule of a message nothing has been recorded for: no attempts, due at its arrival. */
    static DeliverySchedule initial(Instant arrival) {
        return new DeliverySchedule(0, arrival, false);
    }
}
