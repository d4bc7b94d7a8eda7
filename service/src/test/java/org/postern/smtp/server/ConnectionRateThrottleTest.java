package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The throttle on a fake clock: how long the accept thread waits, accept by accept. */
class ConnectionRateThrottleTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A clock that only moves when the throttle sleeps or the test says so. */
    private static final class FakeTime {
        long now = 1_000 * MS;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void theConnectionsPastTheRateWaitUntilASecondAfterTheOneThatManyBefore() throws InterruptedException {
        FakeTime time = new FakeTime();
        ConnectionRateThrottle throttle = new ConnectionRateThrottle(2, () -> time.now, time::sleep);
        List<Long> acceptedAt = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            throttle.awaitTurn();
            throttle.accepted();
            acceptedAt.add(time.now / MS);
            time.now += 10 * MS; // each accept and hand-off takes 10 ms
        }
        // Two at once, then each pair a second after the pair before: never three within one second.
        assertThat(acceptedAt).containsExactly(1000L, 1010L, 2000L, 2010L, 3000L, 3010L);
        assertThat(time.sleeps).containsExactly(980 * MS, 980 * MS);
    }

    @Test
    void underTheRateNobodyWaits() throws InterruptedException {
        FakeTime time = new FakeTime();
        ConnectionRateThrottle throttle = new ConnectionRateThrottle(3, () -> time.now, time::sleep);
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.awaitTurn()).isZero();
            throttle.accepted();
            time.now += 400 * MS; // 2.5 per second
        }
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aBurstAfterAQuietSpellIsServedAtOnceUpToTheRate() throws InterruptedException {
        FakeTime time = new FakeTime();
        ConnectionRateThrottle throttle = new ConnectionRateThrottle(2, () -> time.now, time::sleep);
        throttle.awaitTurn();
        throttle.accepted();
        time.now += 5_000 * MS;
        assertThat(throttle.awaitTurn()).isZero();
        throttle.accepted();
        assertThat(throttle.awaitTurn()).isZero();
        throttle.accepted();
        assertThat(throttle.awaitTurn()).isEqualTo(1_000 * MS);
    }

    @Test
    void zeroIsNotAThrottle() {
        assertThatThrownBy(() -> new ConnectionRateThrottle(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
