package org.postern.queue;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.ratelimiter.configuration.CommonRateLimiterConfigurationProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postern.config.PosternProperties;
import org.postern.config.RoutingProperties;
import org.postern.mailer.Mailers;
import org.postern.routing.Route;
import org.postern.routing.RouteParser;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the {@link DestinationGuard} from the standard {@code resilience4j.circuitbreaker.*},
 * {@code resilience4j.ratelimiter.*} and {@code resilience4j.bulkhead.*} properties, which
 * resilience4j-spring-boot4 binds into its registries (and whose meters it publishes); see
 * docs/decisions/0003-resilience4j.md. Every configured destination gets a circuit breaker; a rate
 * limiter and a bulkhead only where one is configured for it or in {@code configs.default}.
 *
 * <p>Resilience4j's own binding ignores unknown keys, so this also checks them: an unknown key under
 * {@code configs} or {@code instances}, an instance that names no configured destination, or a
 * rate limiter left with Resilience4j's 500 ns refresh period fails startup, naming the property.
 */
@Configuration(proxyBeanMethods = false)
public class DestinationGuardConfiguration {

    /** Below this a limit-refresh-period is Resilience4j's default (500 ns), not a mail rate. */
    static final Duration MIN_REFRESH_PERIOD = Duration.ofMillis(1);

    /** The configured next hops' instance names, checked before the registries are built. */
    record ConfiguredDestinations(Set<String> names) {
    }

    @Bean
    ConfiguredDestinations configuredDestinations(PosternProperties properties, Environment environment) {
        Set<String> names = names(properties.routing());
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));
        checkKeys(binder, "resilience4j.circuitbreaker", CommonCircuitBreakerConfigurationProperties.InstanceProperties.class,
                names);
        checkKeys(binder, "resilience4j.ratelimiter", CommonRateLimiterConfigurationProperties.InstanceProperties.class,
                names);
        checkKeys(binder, "resilience4j.bulkhead", CommonBulkheadConfigurationProperties.InstanceProperties.class, names);
        return new ConfiguredDestinations(names);
    }

    /** Parameters are resolved in order: the key check runs before the registries are created. */
    @Bean
    DestinationGuard destinationGuard(ConfiguredDestinations destinations,
            CircuitBreakerRegistry circuitBreakers,
            CommonRateLimiterConfigurationProperties rateLimiterProperties, RateLimiterRegistry rateLimiters,
            CommonBulkheadConfigurationProperties bulkheadProperties, BulkheadRegistry bulkheads) {
        Map<String, DestinationGuard.Protection> protections = new LinkedHashMap<>();
        for (String name : destinations.names()) {
            protections.put(name, new DestinationGuard.Protection(circuitBreakers.circuitBreaker(name),
                    rateLimiter(name, rateLimiterProperties, rateLimiters), bulkhead(name, bulkheadProperties, bulkheads)));
        }
        return new DestinationGuard(protections);
    }

    /** Applies changed rate limits to the running limiters at a runtime refresh. */
    @Bean
    RateLimitRefresh rateLimitRefresh(DestinationGuard guard, Environment environment) {
        return new RateLimitRefresh(guard, environment);
    }

    /**
     * The one place a destination's rate limiter is made: null unless it is configured for the
     * instance or in {@code configs.default}. A runtime refresh adjusts the limiter this returned
     * ({@link DestinationGuard#rateLimiter}) rather than making another.
     */
    static RateLimiter rateLimiter(String name, CommonRateLimiterConfigurationProperties properties,
            RateLimiterRegistry registry) {
        if (!properties.getInstances().containsKey(name) && !properties.getConfigs().containsKey("default")) {
            return null;
        }
        RateLimiter limiter = registry.rateLimiter(name);
        Duration period = limiter.getRateLimiterConfig().getLimitRefreshPeriod();
        if (period.compareTo(MIN_REFRESH_PERIOD) < 0) {
            String where = properties.getInstances().containsKey(name) ? "resilience4j.ratelimiter.instances[" + name + "]"
                    : "resilience4j.ratelimiter.configs.default";
            throw new IllegalArgumentException(where + ".limit-refresh-period: " + period.toNanos()
                    + " ns is Resilience4j's default, not a mail rate; set the period the limit is for (e.g. 1s)");
        }
        return limiter;
    }

    private static Bulkhead bulkhead(String name, CommonBulkheadConfigurationProperties properties,
            BulkheadRegistry registry) {
        if (!properties.getInstances().containsKey(name) && !properties.getConfigs().containsKey("default")) {
            return null;
        }
        return registry.bulkhead(name);
    }

    /** Instance names of the configured next hops: the smart host and every route with a host. */
    static Set<String> names(RoutingProperties routing) {
        Set<String> names = new TreeSet<>();
        if (routing.smartHost() != null
                && RouteParser.parse(routing.smartHost(), Mailers.SMART_HOST_DEFAULT) instanceof Route.Relay relay
                && relay.host() != null) {
            names.add(DestinationGuard.instanceName(relay));
        }
        for (String spec : routing.domains().values()) {
            if (RouteParser.parse(spec, Mailers.DEFAULT) instanceof Route.Relay relay && relay.host() != null) {
                names.add(DestinationGuard.instanceName(relay));
            }
        }
        return names;
    }

    /** Binds {@code prefix.configs} and {@code prefix.instances} strictly, and checks the instance names. */
    static void checkKeys(Binder binder, String prefix, Class<?> instanceType, Set<String> names) {
        NoUnboundElementsBindHandler strict = new NoUnboundElementsBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler());
        binder.bind(prefix + ".configs", Bindable.mapOf(String.class, instanceType), strict);
        Map<String, ?> instances = binder.bind(prefix + ".instances", Bindable.mapOf(String.class, instanceType), strict)
                .orElse(Map.of());
        for (String instance : instances.keySet()) {
            if (!names.contains(instance)) {
                throw new IllegalArgumentException(prefix + ".instances[" + instance + "]: no configured destination is"
                        + " named '" + instance + "'; instances are named by the host of the smart host or of a route"
                        + " in postern.routing.domains, in lower case, without brackets or port (configured: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
            }
        }
    }
}
