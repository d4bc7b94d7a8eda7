package org.postern.queue;

import java.time.Duration;

/**
 * The queue manager's tunables, from {@code postern.queue.*}.
 *
 * @param lifetime               bounce what is still undelivered after this long (Timeout.queuereturn)
 * @param warnAfter              send one delay notice after this long (Timeout.queuewarn); zero for never
 * @param maxConcurrency         SMTP sessions in use at once, all destinations
 * @param destinationConcurrency SMTP sessions in use at once per destination
 * @param connectionCacheTime    how long an idle session is kept for the next message to its destination
 * @param bounceSizeLimit        largest original returned whole in a DSN
 * @param reportingMta           our host name, for DSNs
 * @param maxActiveMessages      messages being attempted at once; the rest wait in the schedule
 */
public record QueueSettings(Duration lifetime, Duration warnAfter, int maxConcurrency, int destinationConcurrency,
        Duration connectionCacheTime, long bounceSizeLimit, String reportingMta, int maxActiveMessages) {
}
