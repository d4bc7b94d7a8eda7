package org.postern.queue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One delivery attempt of one message: its recipients are split into jobs by destination, and the
 * job that finishes last hands the message back to the queue manager to be completed, bounced or
 * rescheduled. Jobs work on disjoint recipients, so the outcome array needs no lock; the counter
 * publishes their writes to the finishing thread.
 */
final class MessageAttempt {
    final QueuedMessage message;
    /** This attempt's outcome per recipient; null where the recipient was not tried. */
    final DeliveryOutcome[] outcomes;
    /** The next hop each recipient was tried at in this attempt, {@code host[address]:port}, for the mail log. */
    final String[] relays;
    private final AtomicInteger unfinished = new AtomicInteger(1); // 1 = the routing step itself
    private final Runnable onFinished;

    MessageAttempt(QueuedMessage message, java.util.function.Consumer<MessageAttempt> onFinished) {
        this.message = message;
        this.outcomes = new DeliveryOutcome[message.envelope.recipients().size()];
        this.relays = new String[outcomes.length];
        this.onFinished = () -> onFinished.accept(this);
    }

    void jobStarted() {
        unfinished.incrementAndGet();
    }

    void jobDone() {
        if (unfinished.decrementAndGet() == 0) {
            onFinished.run();
        }
    }
}
