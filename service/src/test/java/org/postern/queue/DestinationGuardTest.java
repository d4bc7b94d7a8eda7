package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.mailer.Mailers;
import org.postern.routing.Route;
import org.postern.routing.RouteParser;

/** The guard's use of real Resilience4j instances: what opens a circuit, what it defers, and the limits. */
class DestinationGuardTest {

    static final Destination SMART_HOST = destination("relay:[smtp.example.net]:587", null);
    static final Destination MX = destination("esmtp:", "example.org");

    static Destination destination(String spec, String domain) {
        Route.Relay relay = spec.equals("esmtp:") ? new Route.Relay("esmtp", null, 0, true)
                : (Route.Relay) RouteParser.parse(spec, Mailers.SMART_HOST_DEFAULT);
        return Destination.of(Mailers.builtIn().get(relay.mailer()), relay, domain);
    }

    /** Opens after 3 calls with at least half failed; half-open after 100 ms, one probe. */
    static CircuitBreaker breaker() {
        return CircuitBreaker.of("smtp.example.net", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(100))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }

    static DestinationGuard guard(CircuitBreaker breaker, RateLimiter limiter, Bulkhead bulkhead) {
        return new DestinationGuard(Map.of("smtp.example.net",
                new DestinationGuard.Protection(breaker, limiter, bulkhead)));
    }

    /** One connection attempt that could not open a session. */
    static void failedConnect(DestinationGuard guard, Destination d) {
        assertThat(guard.tryConnect(d)).isTrue();
        guard.callFailed(d, System.nanoTime(), new IOException("connection refused"));
    }

    @Test
    void instanceNamesAreTheNextHopHostWithoutBracketsOrPort() {
        assertThat(DestinationGuard.instanceName((Route.Relay) RouteParser.parse("relay:[SMTP.Example.NET]:587", "relay")))
                .isEqualTo("smtp.example.net");
        assertThat(DestinationGuard.instanceName((Route.Relay) RouteParser.parse("mx.example.net", "esmtp")))
                .isEqualTo("mx.example.net");
        assertThat(DestinationGuard.instanceName((Route.Relay) RouteParser.parse("[IPv6:::1]:2525", "esmtp")))
                .isEqualTo("::1");
        assertThat(DestinationGuard.instanceName(new Route.Relay("esmtp", null, 0, true))).isNull();
    }

    @Test
    void repeatedConnectFailuresOpenTheCircuitAndLaterMailIsDeferredWithoutConnecting() {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        failedConnect(guard, SMART_HOST);
        failedConnect(guard, SMART_HOST);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED); // fewer than the minimum calls
        failedConnect(guard, SMART_HOST);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(guard.tryConnect(SMART_HOST)).isFalse();
        DeliveryOutcome deferred = guard.circuitOpen(SMART_HOST);
        assertThat(deferred).isInstanceOf(DeliveryOutcome.Deferred.class);
        assertThat(deferred.status()).isEqualTo("4.4.1");
        assertThat(deferred.diagnostic()).startsWith("circuit open for smtp.example.net");
        assertThat(((DeliveryOutcome.Deferred) deferred).scope()).isEqualTo(FailureScope.SITE);
        assertThat(guard.circuits()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("smtp.example.net");
            assertThat(c.refusing()).isTrue();
            assertThat(c.failedCalls()).isEqualTo(3);
            assertThat(c.notPermittedCalls()).isEqualTo(1);
        });
    }

    @Test
    void repliesAreNotFailures() {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        for (int i = 0; i < 10; i++) {
            assertThat(guard.tryConnect(SMART_HOST)).isTrue();
            guard.callSucceeded(SMART_HOST, System.nanoTime()); // e.g. 550 to every recipient: the hop answered
        }
        failedConnect(guard, SMART_HOST);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getFailureRate()).isEqualTo(25f); // 1 of the last 4
    }

    @Test
    void halfOpenProbeClosesTheCircuitWhenItSucceeds() throws InterruptedException {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        for (int i = 0; i < 3; i++) {
            failedConnect(guard, SMART_HOST);
        }
        assertThat(guard.tryConnect(SMART_HOST)).isFalse();
        Thread.sleep(150);
        assertThat(guard.tryConnect(SMART_HOST)).as("the probe").isTrue();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(guard.tryConnect(SMART_HOST)).as("only one probe at a time").isFalse();
        assertThat(guard.circuits().getFirst().refusing()).isFalse();
        guard.callSucceeded(SMART_HOST, System.nanoTime());
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(guard.tryConnect(SMART_HOST)).isTrue();
    }

    @Test
    void halfOpenProbeReopensTheCircuitWhenItFails() throws InterruptedException {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        for (int i = 0; i < 3; i++) {
            failedConnect(guard, SMART_HOST);
        }
        Thread.sleep(150);
        failedConnect(guard, SMART_HOST);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(guard.tryConnect(SMART_HOST)).isFalse();
    }

    @Test
    void anAbandonedProbeIsHandedBack() throws InterruptedException {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        for (int i = 0; i < 3; i++) {
            failedConnect(guard, SMART_HOST);
        }
        Thread.sleep(150);
        assertThat(guard.tryConnect(SMART_HOST)).isTrue();
        assertThat(guard.tryConnect(SMART_HOST)).isFalse();
        guard.callAbandoned(SMART_HOST);
        assertThat(guard.tryConnect(SMART_HOST)).as("the probe permit is free again").isTrue();
    }

    @Test
    void mailSentByMxIsNotProtected() {
        CircuitBreaker breaker = breaker();
        DestinationGuard guard = guard(breaker, null, null);
        for (int i = 0; i < 10; i++) {
            assertThat(guard.tryConnect(MX)).isTrue();
            guard.callFailed(MX, System.nanoTime(), new IOException("refused"));
        }
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(guard.awaitMessagePermit(MX)).isNull();
        assertThat(guard.enterBulkhead(MX)).isTrue();
        assertThat(guard.concurrency(MX, 20)).isEqualTo(20);
        assertThat(DestinationGuard.NONE.tryConnect(SMART_HOST)).isTrue();
        assertThat(guard.names()).containsExactly("smtp.example.net");
    }

    @Test
    void rateLimiterDefersAMessageThatGetsNoPermitInTime() throws InterruptedException {
        RateLimiter limiter = RateLimiter.of("smtp.example.net", RateLimiterConfig.custom()
                .limitForPeriod(2).limitRefreshPeriod(Duration.ofMillis(500)).timeoutDuration(Duration.ZERO).build());
        DestinationGuard guard = guard(breaker(), limiter, null);
        assertThat(guard.awaitMessagePermit(SMART_HOST)).isNull();
        assertThat(guard.awaitMessagePermit(SMART_HOST)).isNull();
        DeliveryOutcome third = guard.awaitMessagePermit(SMART_HOST);
        assertThat(third).isInstanceOf(DeliveryOutcome.Deferred.class);
        assertThat(third.status()).isEqualTo("4.4.5");
        assertThat(third.diagnostic()).contains("rate limit for smtp.example.net");
        Thread.sleep(600);
        assertThat(guard.awaitMessagePermit(SMART_HOST)).isNull();
        assertThat(guard.rateLimiter("smtp.example.net")).containsSame(limiter);
    }

    @Test
    void rateLimiterWaitsUpToItsTimeoutForAPermit() {
        RateLimiter limiter = RateLimiter.of("smtp.example.net", RateLimiterConfig.custom()
                .limitForPeriod(1).limitRefreshPeriod(Duration.ofMillis(300)).timeoutDuration(Duration.ofSeconds(2))
                .build());
        DestinationGuard guard = guard(breaker(), limiter, null);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(guard.awaitMessagePermit(SMART_HOST)).isNull();
        }
        // The first permit is immediate, the next two each wait for a new period.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void bulkheadLowersTheWorkerLimitAndIsHeldPerWorker() {
        Bulkhead bulkhead = Bulkhead.of("smtp.example.net", BulkheadConfig.custom().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ZERO).build());
        DestinationGuard guard = guard(breaker(), null, bulkhead);
        assertThat(guard.concurrency(SMART_HOST, 20)).isEqualTo(1);
        assertThat(guard.enterBulkhead(SMART_HOST)).isTrue();
        assertThat(guard.enterBulkhead(SMART_HOST)).isFalse();
        DeliveryOutcome full = guard.bulkheadFull(SMART_HOST);
        assertThat(full).isInstanceOf(DeliveryOutcome.Deferred.class);
        assertThat(full.status()).isEqualTo("4.4.5");
        guard.leaveBulkhead(SMART_HOST);
        assertThat(guard.enterBulkhead(SMART_HOST)).isTrue();
        assertThat(guard.concurrency(destination("relay:[other.example.net]", null), 20)).isEqualTo(20);
    }
}
