package org.postern.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The delivery queue: retries, expiry, concurrency and connection reuse.
 *
 * @param minBackoff             the first retry's delay; each later one doubles, with jitter
 * @param maxBackoff             the longest delay between two attempts
 * @param lifetime               sendmail's {@code Timeout.queuereturn}: after this long in the queue a
 *                               message that still cannot be delivered is bounced
 * @param warnAfter              sendmail's {@code Timeout.queuewarn}: after this long a delay notice
 *                               goes to the sender (once, when NOTIFY allows it); zero turns it off
 * @param maxConcurrency         deliveries (SMTP sessions) in progress at once, all destinations together
 * @param destinationConcurrency deliveries in progress at once to one destination
 * @param connectionCacheTime    how long an idle connection to a destination is kept for the next message
 * @param bounceSizeLimit        a DSN returns the full message only up to this size, else its headers
 */
public record QueueProperties(
        @DefaultValue("1m") Duration minBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("5d") Duration lifetime,
        @DefaultValue("4h") Duration warnAfter,
        @Min(1) @DefaultValue("100") int maxConcurrency,
        @Min(1) @DefaultValue("20") int destinationConcurrency,
        @DefaultValue("2s") Duration connectionCacheTime,
        @DefaultValue("50KB") DataSize bounceSizeLimit) {

    public QueueProperties {
        positive(minBackoff, "min-backoff");
        positive(maxBackoff, "max-backoff");
        positive(lifetime, "lifetime");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("postern.queue.max-backoff (" + maxBackoff
                    + ") must not be shorter than postern.queue.min-backoff (" + minBackoff + ")");
        }
        if (warnAfter.isNegative()) {
            throw new IllegalArgumentException("postern.queue.warn-after must not be negative");
        }
        if (connectionCacheTime.isNegative()) {
            throw new IllegalArgumentException("postern.queue.connection-cache-time must not be negative");
        }
    }

    private static void positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("postern.queue." + name + " must be positive");
        }
    }
}
