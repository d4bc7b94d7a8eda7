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

    /** A pending recipient expired (lifetime reached) and failed with its last temporary error. */
    default void expired(String queueId) {
    }

    /**
     * An attempt to open a session to a destination ended: {@code connected} with a session
     * ({@code tls} whether it runs under TLS), or not (every next hop failed, or DNS did).
     */
    default void connection(Destination destination, boolean connected, boolean tls) {
    }

    /** A message left the queue: every recipient final, its DSN (if any) queued. */
    default void removed(String queueId, java.time.Duration inQueue) {
    }
}
