package org.postern.queue;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try a deferred message again: exponential backoff from {@code min} doubling per attempt,
 * capped at {@code max}, with "equal jitter" (a random point in the upper half of the delay).
 * Jitter matters because an outage defers many messages at the same moment; without it they would
 * all come back to the recovering next hop at the same moment too.
 */
public final class RetrySchedule {

    private final Duration min;
    private final Duration max;
    private final RandomGenerator random;

    public RetrySchedule(Duration min, Duration max, RandomGenerator random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /**
     * The delay after the given number of failed attempts (1 after the first attempt): between half
     * of and the full {@code min * 2^(attempts-1)}, never more than {@code max} nor less than {@code min / 2}.
     */
    public Duration delayAfter(int attempts) {
        long minMillis = min.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.max(0, Math.min(attempts - 1, 40));
        long full = minMillis;
        for (int i = 0; i < doublings && full < maxMillis; i++) {
            full = full * 2;
        }
        full = Math.min(full, maxMillis);
        long half = full / 2;
        long jittered = half + (full - half == 0 ? 0 : random.nextLong(full - half + 1));
        return Duration.ofMillis(Math.max(jittered, 1));
    }
}
