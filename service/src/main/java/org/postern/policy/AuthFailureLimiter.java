package org.postern.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing: failed SMTP AUTH attempts are counted per client address over a sliding
 * window ({@code postern.auth.max-failures} within {@code postern.auth.failure-window}). A client
 * that has reached the limit may not try again until its oldest counted failure leaves the window,
 * in this session or any later one. A success resets nothing: an attacker holding one account must
 * not be able to wipe its failures with it, and one client's success never touches another's count.
 *
 * <p>IPv6 clients are counted per /64, the block a single host usually holds, so a client cannot
 * start afresh by moving to the next address of its own network. The table of clients is bounded
 * ({@link #MAX_TRACKED}): past it, expired entries are dropped first, then the stalest.
 */
public final class AuthFailureLimiter {

    /** Outcome label: credentials were checked and were wrong (535 5.7.8). */
    public static final String REJECTED = "rejected";
    /** Outcome label: refused without checking, the client being over the limit (454 4.7.0). */
    public static final String BLOCKED = "blocked";

    /** Clients tracked at once, at most. */
    static final int MAX_TRACKED = 65_536;

    /** Told of each failure, by outcome ({@link #REJECTED}, {@link #BLOCKED}); for metrics. Must not throw. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = outcome -> { };

        void failure(String outcome);
    }

    private final int maxFailures;
    private final Duration window;
    private final InstantSource clock;
    private final Listener listener;
    /** Per client key: the instants of its failures still in the window, oldest first. */
    private final Map<Key, ArrayDeque<Instant>> failures = new ConcurrentHashMap<>();

    public AuthFailureLimiter(int maxFailures, Duration window, InstantSource clock, Listener listener) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("max failures must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("failure window must be positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.listener = listener == null ? Listener.NONE : listener;
    }

    public int maxFailures() {
        return maxFailures;
    }

    public Duration window() {
        return window;
    }

    /**
     * Whether {@code client} may try to authenticate now. A refusal is counted as a
     * {@link #BLOCKED} failure (but does not lengthen the block).
     */
    public boolean mayAttempt(InetAddress client) {
        if (failures(client) < maxFailures) {
            return true;
        }
        listener.failure(BLOCKED);
        return false;
    }

    /**
     * Records one failed attempt (wrong credentials) by {@code client}.
     *
     * @return true when this failure brought the client to the limit: its next attempts are refused
     */
    public boolean recordFailure(InetAddress client) {
        listener.failure(REJECTED);
        Instant now = clock.instant();
        Key key = Key.of(client);
        if (!failures.containsKey(key) && failures.size() >= MAX_TRACKED) {
            makeRoom(now);
        }
        int[] count = new int[1];
        failures.compute(key, (k, times) -> {
            ArrayDeque<Instant> t = times == null ? new ArrayDeque<>() : times;
            expire(t, now);
            t.addLast(now);
            while (t.size() > maxFailures) {
                t.removeFirst(); // only the newest maxFailures matter for the decision
            }
            count[0] = t.size();
            return t;
        });
        return count[0] == maxFailures;
    }

    /** The failures of {@code client} now inside the window. */
    public int failures(InetAddress client) {
        Instant now = clock.instant();
        int[] count = new int[1];
        failures.computeIfPresent(Key.of(client), (k, times) -> {
            expire(times, now);
            count[0] = times.size();
            return times.isEmpty() ? null : times;
        });
        return count[0];
    }

    /** Clients with failures in the table (for tests and diagnostics). */
    int tracked() {
        return failures.size();
    }

    private void expire(ArrayDeque<Instant> times, Instant now) {
        Instant oldestKept = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldestKept)) {
            times.removeFirst();
        }
    }

    /** The table is full: drop expired clients; if none expired, the one whose last failure is oldest. */
    private void makeRoom(Instant now) {
        Key stalest = null;
        Instant stalestTime = null;
        for (Key key : failures.keySet()) {
            Instant[] last = new Instant[1];
            failures.computeIfPresent(key, (k, times) -> {
                expire(times, now);
                last[0] = times.peekLast();
                return times.isEmpty() ? null : times;
            });
            if (last[0] != null && (stalestTime == null || last[0].isBefore(stalestTime))) {
                stalest = key;
                stalestTime = last[0];
            }
        }
        if (failures.size() >= MAX_TRACKED && stalest != null) {
            failures.remove(stalest);
        }
    }

    /** An IPv4 address, or the /64 of an IPv6 address. */
    private record Key(byte[] bytes) {
        static Key of(InetAddress address) {
            byte[] b = address.getAddress();
            return new Key(address instanceof Inet6Address ? Arrays.copyOf(b, 8) : b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
