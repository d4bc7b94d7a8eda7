package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.common.ratelimiter.configuration.CommonRateLimiterConfigurationProperties;
import io.github.resilience4j.common.ratelimiter.configuration.CommonRateLimiterConfigurationProperties.InstanceProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.config.refresh.RefreshParticipant;
import org.springframework.mock.env.MockEnvironment;

/** How a refresh's new {@code resilience4j.ratelimiter.*} values reach the running limiters, and what waits for a restart. */
class RateLimitRefreshTest {

    private final RateLimiter smartHost = RateLimiter.of("smtp.example.net", RateLimiterConfig.custom()
            .limitForPeriod(2).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5)).build());
    /** smtp.example.net with a rate limiter, mx.example.org without one. */
    private final DestinationGuard guard = new DestinationGuard(Map.of(
            "smtp.example.net", new DestinationGuard.Protection(CircuitBreaker.ofDefaults("smtp.example.net"), smartHost, null),
            "mx.example.org", new DestinationGuard.Protection(CircuitBreaker.ofDefaults("mx.example.org"), null, null)));
    private final RateLimitRefresh refresh = new RateLimitRefresh(guard, new MockEnvironment());

    /** A refresh reading these {@code resilience4j.ratelimiter.instances[smtp.example.net].*} properties. */
    private RateLimitRefresh fromSources(String... keysAndValues) {
        MockEnvironment environment = new MockEnvironment();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            environment.setProperty("resilience4j.ratelimiter.instances[smtp.example.net]." + keysAndValues[i],
                    keysAndValues[i + 1]);
        }
        return new RateLimitRefresh(guard, environment);
    }

    private static CommonRateLimiterConfigurationProperties limits(String name, int limit, Duration period, Duration timeout) {
        CommonRateLimiterConfigurationProperties properties = new CommonRateLimiterConfigurationProperties();
        properties.getInstances().put(name, new InstanceProperties().setLimitForPeriod(limit)
                .setLimitRefreshPeriod(period).setTimeoutDuration(timeout));
        return properties;
    }

    @Test
    void aNewLimitAndTimeoutAreAppliedToTheRunningLimiterOnlyWhenApplied() {
        RefreshParticipant.Prepared prepared = refresh.plan(Set.of("smtp.example.net"),
                limits("smtp.example.net", 10, Duration.ofSeconds(1), Duration.ZERO));

        assertThat(prepared.changed()).containsExactly(
                "resilience4j.ratelimiter.instances[smtp.example.net].limit-for-period",
                "resilience4j.ratelimiter.instances[smtp.example.net].timeout-duration");
        assertThat(prepared.restartOnly()).isEmpty();
        assertThat(smartHost.getRateLimiterConfig().getLimitForPeriod()).as("prepared, not applied").isEqualTo(2);

        prepared.apply();
        assertThat(smartHost.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(10);
        assertThat(smartHost.getRateLimiterConfig().getTimeoutDuration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void theDefaultConfigAppliesToDestinationsWithoutAnInstance() {
        CommonRateLimiterConfigurationProperties properties = new CommonRateLimiterConfigurationProperties();
        properties.getConfigs().put("default", new InstanceProperties().setLimitForPeriod(7)
                .setLimitRefreshPeriod(Duration.ofSeconds(1)).setTimeoutDuration(Duration.ofSeconds(5)));

        RefreshParticipant.Prepared prepared = refresh.plan(Set.of("smtp.example.net"), properties);
        prepared.apply();

        assertThat(smartHost.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(7);
        assertThat(prepared.restartOnly()).as("mx.example.org runs without a limiter")
                .containsExactly("resilience4j.ratelimiter.instances[mx.example.org] (a rate limiter for a destination"
                        + " that runs without one)");
    }

    @Test
    void whatALiveLimiterCannotChangeWaitsForARestart() {
        CommonRateLimiterConfigurationProperties properties = limits("smtp.example.net", 2, Duration.ofMinutes(1),
                Duration.ofSeconds(5));
        properties.getInstances().put("new.example.com", new InstanceProperties().setLimitForPeriod(1)
                .setLimitRefreshPeriod(Duration.ofSeconds(1)));

        RefreshParticipant.Prepared prepared = refresh.plan(Set.of("smtp.example.net", "new.example.com"), properties);

        assertThat(prepared.changed()).isEmpty();
        assertThat(prepared.restartOnly()).containsExactly(
                "resilience4j.ratelimiter.instances[new.example.com] (a rate limiter for a destination that runs without one)",
                "resilience4j.ratelimiter.instances[smtp.example.net].limit-refresh-period");
        assertThat(refresh.plan(Set.of("smtp.example.net"), new CommonRateLimiterConfigurationProperties()).restartOnly())
                .containsExactly("resilience4j.ratelimiter.instances[smtp.example.net] (removing a running rate limiter)");
    }

    @Test
    void theSourcesAreBoundStrictlyAndInvalidValuesRefuseThePlanNamingTheProperty() {
        Set<String> destinations = Set.of("smtp.example.net");
        assertThat(fromSources("limit-for-period", "4", "limit-refresh-period", "1s").prepare(destinations).changed())
                .containsExactly("resilience4j.ratelimiter.instances[smtp.example.net].limit-for-period");

        assertThatThrownBy(() -> fromSources("limit-for-period", "0", "limit-refresh-period", "1s").prepare(destinations))
                .hasMessage("resilience4j.ratelimiter.instances[smtp.example.net]: Illegal argument limitForPeriod: 0 is less"
                        + " than 1");
        assertThatThrownBy(() -> fromSources("limit-for-period", "4", "limit-refresh-period", "500ns").prepare(destinations))
                .hasMessageStartingWith("resilience4j.ratelimiter.instances[smtp.example.net].limit-refresh-period: 500 ns");
        assertThatThrownBy(() -> fromSources("limit-for-periods", "4").prepare(destinations))
                .as("an unknown key").hasMessageContaining("limit-for-periods");
        assertThatThrownBy(() -> fromSources("limit-for-period", "4").prepare(Set.of("other.example.net")))
                .as("an instance that names no destination").hasMessageContaining("no configured destination");

        assertThat(smartHost.getRateLimiterConfig().getLimitForPeriod()).as("nothing applied").isEqualTo(2);
    }
}
