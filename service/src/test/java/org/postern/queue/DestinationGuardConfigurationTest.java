package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.TestStartup;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The resilience4j.* properties as the real application binds them: per-destination instances by
 * next-hop host name, Postern's circuit-breaker defaults, rate limiters and bulkheads only where
 * configured, and bad configuration failing startup with the property named.
 */
@ExtendWith(OutputCaptureExtension.class)
class DestinationGuardConfigurationTest {

    @TempDir
    Path spool;

    private ConfigurableApplicationContext start(String... overrides) {
        return TestStartup.start(spool, withRoutes(overrides));
    }

    /** A smart host and two routes (their hosts name the instances), then the test's overrides. */
    private static String[] withRoutes(String... overrides) {
        String[] all = new String[overrides.length + 4];
        all[0] = "postern.dns.servers=127.0.0.1:1";
        all[1] = "postern.routing.smart-host=relay:[SMTP.Example.NET]:587";
        all[2] = "postern.routing.domains.[example.org]=esmtp:[mx.example.org]";
        all[3] = "postern.routing.domains.[bounce.test]=error:5.1.1:550 no such domain";
        System.arraycopy(overrides, 0, all, 4, overrides.length);
        return all;
    }

    private String startupFailure(CapturedOutput output, String... overrides) {
        return TestStartup.failure(output, spool, withRoutes(overrides));
    }

    @Test
    void configuredDestinationsGetInstancesByHostName() {
        try (ConfigurableApplicationContext context = start(
                "resilience4j.circuitbreaker.instances[smtp.example.net].wait-duration-in-open-state=7s",
                "resilience4j.ratelimiter.instances[mx.example.org].limit-for-period=10",
                "resilience4j.ratelimiter.instances[mx.example.org].limit-refresh-period=1s",
                "resilience4j.bulkhead.instances[smtp.example.net].max-concurrent-calls=3")) {
            DestinationGuard guard = context.getBean(DestinationGuard.class);
            assertThat(guard.names()).containsExactlyInAnyOrder("smtp.example.net", "mx.example.org");
            assertThat(guard.circuits()).extracting(DestinationGuard.CircuitStatus::state)
                    .containsOnly(CircuitBreaker.State.CLOSED);

            CircuitBreaker smartHost = context.getBean(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class)
                    .circuitBreaker("smtp.example.net");
            // The instance's own setting, over Postern's defaults from application.yaml.
            assertThat(smartHost.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
                    .isEqualTo(Duration.ofSeconds(7).toMillis());
            assertThat(smartHost.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(5);
            assertThat(smartHost.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(10);
            assertThat(smartHost.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(1);

            assertThat(guard.rateLimiter("mx.example.org")).hasValueSatisfying(l ->
                    assertThat(l.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(10));
            assertThat(guard.rateLimiter("smtp.example.net")).as("not configured: off").isEmpty();
            Destination relay = DestinationGuardTest.destination("relay:[smtp.example.net]:587", null);
            Destination route = DestinationGuardTest.destination("esmtp:[mx.example.org]", null);
            assertThat(guard.concurrency(relay, 20)).isEqualTo(3);
            assertThat(guard.concurrency(route, 20)).as("no bulkhead: destination-concurrency").isEqualTo(20);
        }
    }

    @Test
    void defaultsMayComeFromEnvironmentVariables() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("RESILIENCE4J_CIRCUITBREAKER_CONFIGS_DEFAULT_WAITDURATIONINOPENSTATE", "2m")));
        Binder binder = Binder.get(environment);
        DestinationGuardConfiguration.checkKeys(binder, "resilience4j.circuitbreaker",
                CommonCircuitBreakerConfigurationProperties.InstanceProperties.class, Set.of("smtp.example.net"));
        assertThat(binder.bind("resilience4j.circuitbreaker.configs", Bindable.mapOf(String.class,
                CommonCircuitBreakerConfigurationProperties.InstanceProperties.class)).get().get("default")
                .getWaitDurationInOpenState()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void instanceForAnUnconfiguredDestinationFails(CapturedOutput output) {
        assertThat(startupFailure(output,
                "resilience4j.circuitbreaker.instances[gmail.com].wait-duration-in-open-state=5s"))
                .contains("resilience4j.circuitbreaker.instances[gmail.com]: no configured destination is named 'gmail.com'")
                .contains("configured: mx.example.org, smtp.example.net");
        assertThat(startupFailure(output, "resilience4j.bulkhead.instances[SMTP.example.net].max-concurrent-calls=1"))
                .contains("resilience4j.bulkhead.instances[SMTP.example.net]").contains("in lower case");
    }

    @Test
    void unknownKeyFails(CapturedOutput output) {
        assertThat(startupFailure(output,
                "resilience4j.circuitbreaker.instances[smtp.example.net].failure-rate-treshold=20"))
                .contains("resilience4j.circuitbreaker.instances[smtp.example.net].failure-rate-treshold")
                .contains("left unbound");
        assertThat(startupFailure(output, "resilience4j.ratelimiter.configs.default.limit-per-period=20"))
                .contains("resilience4j.ratelimiter.configs.default.limit-per-period").contains("left unbound");
    }

    @Test
    void rateLimiterWithoutARefreshPeriodFails(CapturedOutput output) {
        assertThat(startupFailure(output, "resilience4j.ratelimiter.instances[smtp.example.net].limit-for-period=2"))
                .contains("resilience4j.ratelimiter.instances[smtp.example.net].limit-refresh-period")
                .contains("Resilience4j's default");
    }

    @Test
    void outOfRangeValueFails(CapturedOutput output) {
        assertThat(startupFailure(output,
                "resilience4j.circuitbreaker.instances[smtp.example.net].failure-rate-threshold=150"))
                .contains("smtp.example.net").contains("failureRateThreshold");
    }
}
