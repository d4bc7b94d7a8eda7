package org.postern.smtp.server;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * sendmail's {@code ConnectionRateThrottle} for one listener: at most {@code perSecond} connections
 * accepted in any one-second interval. Past it the listener does not refuse anyone: it waits before
 * its next {@code accept}, so new clients queue in the kernel's backlog and are served a little
 * later ("to flatten out connection load", sendmail's daemon.c, which sleeps a second instead). The
 * accept thread calls {@link #awaitTurn()} before each accept and {@link #accepted()} after it.
 * Not thread-safe: one listener has one accept thread.
 */
final class ConnectionRateThrottle {

    /** Sleeps; a seam for tests. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** The times of the last {@code perSecond} accepts, a ring; {@code next} is the oldest once full. */
    private final long[] recent;
    private int next;
    private long count;

    /** @param perSecond connections per second, at least 1 */
    ConnectionRateThrottle(int perSecond) {
        this(perSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    ConnectionRateThrottle(int perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a throttle needs at least one connection per second");
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.recent = new long[perSecond];
    }

    int perSecond() {
        return perSecond;
    }

    /**
     * Waits until one more accept keeps the rate: until a second has passed since the accept
     * {@code perSecond} accepts ago.
     *
     * @return how long it waited, in nanoseconds (0 when under the rate)
     */
    long awaitTurn() throws InterruptedException {
        if (count < perSecond) {
            return 0;
        }
        long waitUntil = recent[next] + SECOND;
        long waited = 0;
        for (long now = nanoTime.getAsLong(); now - waitUntil < 0; now = nanoTime.getAsLong()) {
            sleeper.sleepNanos(waitUntil - now);
            waited += waitUntil - now;
        }
        return waited;
    }

    /** Records an accepted connection, now. */
    void accepted() {
        recent[next] = nanoTime.getAsLong();
        next = (next + 1) % perSecond;
        count++;
    }
}
