package org.postern.queue;

/**
 * What the queue reports as it works, for metrics and logs. Called on delivery threads: must be
 * quick and must not throw.
 */
public interface QueueEvents {

    QueueEvents NONE = new QueueEvents() { };

    /** A recipient's outcome in one attempt; {@code destination} is null for error and discard routes. */
    default void outcome(Destination destination, DeliveryOutcome outcome) {
    }

    /** A message from the null sender failed; it is logged and dropped, never bounced (RFC 5321 §4.5.5). */
    default void doubleBounce(String queueId) {
    }

    /** A DSN ({@code kind} "failure", "delay" or "success") was queued for the sender. */
    default void notificationQueued(String queueId, String kind) {
    }

    /** A message left the queue: every recipient final, its DSN (if any) queued. */
    default void removed(String queueId, java.time.Duration inQueue) {
    }
}
