package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(30),
            new SplittableRandom(42));

    @Test
    void doublesPerAttemptWithinTheUpperHalfOfEachDelay() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            long full = Duration.ofMinutes(1).toMillis() << (attempt - 1);
            for (int i = 0; i < 200; i++) {
                long d = schedule.delayAfter(attempt).toMillis();
                assertThat(d).as("attempt %d", attempt).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void isCappedAtMaxBackoff() {
        for (int i = 0; i < 200; i++) {
            assertThat(schedule.delayAfter(50)).isBetween(Duration.ofMinutes(15), Duration.ofMinutes(30));
            assertThat(schedule.delayAfter(Integer.MAX_VALUE)).isLessThanOrEqualTo(Duration.ofMinutes(30));
        }
    }

    @Test
    void jitterSpreadsMessagesDeferredTogether() {
        long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> schedule.delayAfter(3).toMillis())
                .distinct().count();
        assertThat(distinct).isGreaterThan(90);
    }

    @Test
    void rejectsMaxBelowMin() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
