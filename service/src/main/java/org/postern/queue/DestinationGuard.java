package org.postern.queue;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.postern.routing.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Site protection for configured destinations (the smart host and each route's host), with
 * Resilience4j: a circuit breaker that stops connecting to a next hop after repeated connection or
 * session failures, an optional rate limiter that caps its messages per period (a smart host's
 * quota), and an optional bulkhead that caps its concurrent connections. Each is named by the next
 * hop's host name; mail sent straight to a recipient domain's MX hosts has none, so arbitrary
 * domains never create instances or meter labels.
 *
 * <p>What the circuit breaker counts (one call each): a connection attempt together with the first
 * transaction on it fails when no session could be opened ({@link ConnectFailure}) or the session
 * broke without a reply, and succeeds when the next hop answered, whatever it answered: a 4xx or
 * 5xx to a recipient or a message is the next hop working, not failing. A reused connection that
 * breaks without a reply is one more failed call. While the circuit is open, mail for the
 * destination is deferred without connecting and the retry schedule applies as usual; after the
 * wait in the open state, the half-open state lets its permitted calls through as probes, which
 * close or re-open it.
 *
 * <p>Every permission taken with {@link #tryConnect} ends with exactly one of
 * {@link #callSucceeded}, {@link #callFailed} or {@link #callAbandoned}, or a half-open circuit
 * would wait for ever for its probe.
 */
public final class DestinationGuard {
    private static final Logger log = LoggerFactory.getLogger(DestinationGuard.class);

    /** No destination protected: every call allowed (tests, and relays that route only by MX). */
    public static final DestinationGuard NONE = new DestinationGuard(Map.of());

    /**
     * The Resilience4j instances of one configured destination.
     *
     * @param circuitBreaker always present
     * @param rateLimiter    null unless configured for the instance (or in {@code configs.default})
     * @param bulkhead       null unless configured for the instance (or in {@code configs.default})
     */
    public record Protection(CircuitBreaker circuitBreaker, RateLimiter rateLimiter, Bulkhead bulkhead) {
        public Protection {
            Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        }
    }

    /**
     * A snapshot of one destination's circuit, for health reports.
     *
     * @param failureRate       percentage of failed calls in the sliding window; -1 until the
     *                          minimum number of calls has been seen
     * @param notPermittedCalls connection attempts refused while the circuit was open
     */
    public record CircuitStatus(String name, CircuitBreaker.State state, float failureRate, int bufferedCalls,
            int failedCalls, long notPermittedCalls) {

        /** Whether mail for the destination is now deferred without connecting. */
        public boolean refusing() {
            return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        }
    }

    private final Map<String, Protection> protections;

    /** @param protections by instance name (see {@link #instanceName}) */
    public DestinationGuard(Map<String, Protection> protections) {
        this.protections = Map.copyOf(protections);
        this.protections.forEach((name, p) -> p.circuitBreaker().getEventPublisher().onStateTransition(e ->
                log.warn("circuit breaker for {}: {} (failure rate {}% of {} calls)", name, e.getStateTransition(),
                        p.circuitBreaker().getMetrics().getFailureRate(),
                        p.circuitBreaker().getMetrics().getNumberOfBufferedCalls())));
    }

    /**
     * The instance name of a configured destination: its next hop's host name as the route gives
     * it, which is lower case, without brackets, an {@code IPv6:} tag or a port; so
     * {@code relay:[smtp.example.net]:587} is {@code smtp.example.net}, and routes to one host on
     * different ports share its instances. Null for mail sent by MX to the recipient's domain.
     */
    public static String instanceName(Route.Relay route) {
        return route.host() == null ? null : route.host().toLowerCase(Locale.ROOT);
    }

    /** The names of the protected destinations. */
    public Set<String> names() {
        return protections.keySet();
    }

    /**
     * A destination's rate limiter, for a configuration refresh to adjust in place
     * ({@link RateLimiter#changeLimitForPeriod}, {@link RateLimiter#changeTimeoutDuration}).
     */
    public Optional<RateLimiter> rateLimiter(String name) {
        Protection p = protections.get(name);
        return Optional.ofNullable(p == null ? null : p.rateLimiter());
    }

    /** The circuit of every protected destination, by name. */
    public List<CircuitStatus> circuits() {
        List<CircuitStatus> all = new ArrayList<>();
        new TreeMap<>(protections).forEach((name, p) -> {
            CircuitBreaker.Metrics m = p.circuitBreaker().getMetrics();
            all.add(new CircuitStatus(name, p.circuitBreaker().getState(), m.getFailureRate(),
                    m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(), m.getNumberOfNotPermittedCalls()));
        });
        return all;
    }

    private Protection protection(Destination destination) {
        if (destination == null || !destination.configured() || protections.isEmpty()) {
            return null;
        }
        return protections.get(instanceName(destination.route()));
    }

    private static String name(Destination destination) {
        return instanceName(destination.route());
    }

    // ---- bulkhead: held by a destination queue's worker for as long as it runs -------------------

    /** The destination queue's worker limit: the bulkhead's, where that is lower. */
    int concurrency(Destination destination, int destinationConcurrency) {
        Protection p = protection(destination);
        return p == null || p.bulkhead() == null ? destinationConcurrency
                : Math.min(destinationConcurrency, p.bulkhead().getBulkheadConfig().getMaxConcurrentCalls());
    }

    /** Takes a bulkhead permit for a worker, waiting up to its max-wait-duration; true when there is no bulkhead. */
    boolean enterBulkhead(Destination destination) {
        Protection p = protection(destination);
        return p == null || p.bulkhead() == null || p.bulkhead().tryAcquirePermission();
    }

    /** Returns a permit taken by {@link #enterBulkhead}. */
    void leaveBulkhead(Destination destination) {
        Protection p = protection(destination);
        if (p != null && p.bulkhead() != null) {
            p.bulkhead().onComplete();
        }
    }

    /** The deferral for mail that found every connection of a shared bulkhead in use. */
    DeliveryOutcome bulkheadFull(Destination destination) {
        return new DeliveryOutcome.Deferred("4.4.5", "connection limit for " + name(destination) + " reached", null,
                FailureScope.SITE);
    }

    // ---- rate limiter: one permit per message ----------------------------------------------------

    /**
     * Waits (up to the rate limiter's timeout-duration) for a permit to send one message; returns
     * null when it may go, else its deferral.
     */
    DeliveryOutcome awaitMessagePermit(Destination destination) {
        Protection p = protection(destination);
        if (p == null || p.rateLimiter() == null || p.rateLimiter().acquirePermission()) {
            return null;
        }
        return new DeliveryOutcome.Deferred("4.4.5", "rate limit for " + name(destination) + " reached (no permit within "
                + p.rateLimiter().getRateLimiterConfig().getTimeoutDuration().toMillis() + " ms)", null,
                FailureScope.SITE);
    }

    // ---- circuit breaker: one call per connection attempt and its first transaction --------------

    /** Asks to open a connection: false while the circuit is open (see {@link #circuitOpen}). */
    boolean tryConnect(Destination destination) {
        Protection p = protection(destination);
        return p == null || p.circuitBreaker().tryAcquirePermission();
    }

    /** The deferral for mail not sent because the destination's circuit is open. */
    DeliveryOutcome circuitOpen(Destination destination) {
        return new DeliveryOutcome.Deferred("4.4.1", "circuit open for " + name(destination)
                + " after repeated connection or session failures; not connecting", null, FailureScope.SITE);
    }

    /** The next hop answered the first transaction on a connection opened since {@code startNanos}. */
    void callSucceeded(Destination destination, long startNanos) {
        Protection p = protection(destination);
        if (p != null) {
            p.circuitBreaker().onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * No session could be opened, or a session broke without a reply. {@code startNanos} is when
     * the connection attempt began, or -1 for a reused connection (no permission was taken for it).
     */
    void callFailed(Destination destination, long startNanos, Throwable cause) {
        Protection p = protection(destination);
        if (p != null) {
            long nanos = startNanos < 0 ? 0 : System.nanoTime() - startNanos;
            p.circuitBreaker().onError(nanos, TimeUnit.NANOSECONDS, cause);
        }
    }

    /** A permission from {@link #tryConnect} ended with no verdict (an unexpected error): hand it back. */
    void callAbandoned(Destination destination) {
        Protection p = protection(destination);
        if (p != null) {
            p.circuitBreaker().releasePermission();
        }
    }
}
