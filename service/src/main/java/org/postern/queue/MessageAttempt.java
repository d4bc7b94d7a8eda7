package org.postern.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.spool.RecipientState;

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
    /**
     * Recipients pending at the start and not yet final in this attempt, or -1 when this attempt
     * always writes its state records (see {@link #lastPendingFinal}).
     */
    private final AtomicInteger pendingLeft;
    /** The recipients whose final state was left to the removal (all from one transaction). */
    final List<Integer> unrecorded = new CopyOnWriteArrayList<>();

    MessageAttempt(QueuedMessage message, java.util.function.Consumer<MessageAttempt> onFinished) {
        this(message, onFinished, false);
    }

    /**
     * @param removalRecords the caller removes the message as soon as its last pending recipient is
     *                       final, and writes that recipient's state record itself if the removal fails
     */
    MessageAttempt(QueuedMessage message, java.util.function.Consumer<MessageAttempt> onFinished,
            boolean removalRecords) {
        this.message = message;
        this.outcomes = new DeliveryOutcome[message.envelope.recipients().size()];
        this.relays = new String[outcomes.length];
        this.onFinished = () -> onFinished.accept(this);
        int pending = 0;
        for (RecipientState s : message.states) {
            pending += s == RecipientState.PENDING ? 1 : 0;
        }
        this.pendingLeft = new AtomicInteger(removalRecords ? pending : -1);
    }

    /**
     * Called once per recipient made final in this attempt: true for the one that leaves no recipient
     * pending, when the attempt was created with {@code removalRecords}. Its state record may be
     * skipped: the message is removed right after, and the deletion records the outcome. Atomic, so
     * of recipients made final at once by jobs to different destinations exactly one is last.
     */
    boolean lastPendingFinal() {
        return lastPendingFinal(1);
    }

    /** As {@link #lastPendingFinal()} for {@code count} recipients made final together (one transaction). */
    boolean lastPendingFinal(int count) {
        return pendingLeft.get() > 0 && pendingLeft.addAndGet(-count) == 0;
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
