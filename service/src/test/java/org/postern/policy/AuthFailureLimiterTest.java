package org.postern.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failed AUTH attempts per client address over a sliding window, on a clock the test moves. */
class AuthFailureLimiterTest {

    /** A clock that only moves when told to. */
    private static final class FakeClock implements InstantSource {
        private Instant now = Instant.parse("2026-11-21T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final List<String> counted = new ArrayList<>();
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(3, Duration.ofMinutes(5), clock, counted::add);

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void theFailureThatReachesTheLimitBlocksTheAddress() throws Exception {
        InetAddress guesser = ip("192.0.2.7");
        assertThat(limiter.mayAttempt(guesser)).isTrue();
        assertThat(limiter.recordFailure(guesser)).isFalse();
        assertThat(limiter.recordFailure(guesser)).isFalse();
        assertThat(limiter.mayAttempt(guesser)).isTrue();
        assertThat(limiter.recordFailure(guesser)).as("third failure: the limit").isTrue();
        assertThat(limiter.failures(guesser)).isEqualTo(3);

        assertThat(limiter.mayAttempt(guesser)).isFalse();
        assertThat(limiter.mayAttempt(guesser)).isFalse();
        assertThat(counted).containsExactly("rejected", "rejected", "rejected", "blocked", "blocked");
    }

    @Test
    void otherAddressesAreNotAffected() throws Exception {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure(ip("127.0.0.1"));
        }
        assertThat(limiter.mayAttempt(ip("127.0.0.1"))).isFalse();
        assertThat(limiter.mayAttempt(ip("127.0.0.2"))).isTrue();
        assertThat(limiter.failures(ip("127.0.0.2"))).isZero();
        assertThat(limiter.mayAttempt(ip("::1"))).isTrue();
    }

    @Test
    void theBlockEndsWhenTheOldestFailureLeavesTheWindow() throws Exception {
        InetAddress guesser = ip("192.0.2.7");
        limiter.recordFailure(guesser);               // t = 0
        clock.advance(Duration.ofMinutes(2));
        limiter.recordFailure(guesser);               // t = 2m
        clock.advance(Duration.ofMinutes(2));
        limiter.recordFailure(guesser);               // t = 4m: blocked
        assertThat(limiter.mayAttempt(guesser)).isFalse();

        clock.advance(Duration.ofSeconds(59));        // t = 4m59s: the first failure still counts
        assertThat(limiter.mayAttempt(guesser)).isFalse();
        clock.advance(Duration.ofSeconds(1));         // t = 5m: it has left the window
        assertThat(limiter.failures(guesser)).isEqualTo(2);
        assertThat(limiter.mayAttempt(guesser)).isTrue();

        // One more failure blocks again at once: the two recent ones still count.
        assertThat(limiter.recordFailure(guesser)).isTrue();
        assertThat(limiter.mayAttempt(guesser)).isFalse();
    }

    @Test
    void refusedAttemptsDoNotLengthenTheBlock() throws Exception {
        InetAddress guesser = ip("192.0.2.7");
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure(guesser);
        }
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(limiter.mayAttempt(guesser)).isFalse();
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.mayAttempt(guesser)).isTrue();
        assertThat(limiter.failures(guesser)).isZero();
        assertThat(limiter.tracked()).as("an expired client leaves the table").isZero();
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() throws Exception {
        InetAddress slow = ip("192.0.2.8");
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.mayAttempt(slow)).isTrue();
            assertThat(limiter.recordFailure(slow)).isFalse();
            clock.advance(Duration.ofMinutes(3)); // at most two in any 5 minutes
        }
    }

    @Test
    void anIpv6ClientIsCountedPerSlash64() throws Exception {
        limiter.recordFailure(ip("2001:db8:1:2::1"));
        limiter.recordFailure(ip("2001:db8:1:2::2"));
        limiter.recordFailure(ip("2001:db8:1:2:ffff::3"));
        assertThat(limiter.mayAttempt(ip("2001:db8:1:2::99"))).isFalse();
        assertThat(limiter.mayAttempt(ip("2001:db8:1:3::1"))).as("the next /64").isTrue();
    }

    @Test
    void theTableOfClientsIsBounded() throws Exception {
        AuthFailureLimiter small = new AuthFailureLimiter(3, Duration.ofMinutes(5), clock, null);
        for (int i = 0; i < AuthFailureLimiter.MAX_TRACKED + 100; i++) {
            small.recordFailure(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        assertThat(small.tracked()).isLessThanOrEqualTo(AuthFailureLimiter.MAX_TRACKED);
        // The newest client is still tracked.
        int last = AuthFailureLimiter.MAX_TRACKED + 99;
        assertThat(small.failures(InetAddress.getByAddress(
                new byte[] {10, (byte) (last >> 16), (byte) (last >> 8), (byte) last}))).isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new AuthFailureLimiter(0, Duration.ofMinutes(5), clock, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthFailureLimiter(5, Duration.ZERO, clock, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
