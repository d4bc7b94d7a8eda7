package org.postern.queue;

import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.ratelimiter.configuration.CommonRateLimiterConfigurationProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.postern.config.PosternProperties;
import org.postern.config.refresh.RefreshParticipant;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Makes {@code POST /actuator/refresh} apply changed {@code resilience4j.ratelimiter.*} limits to
 * the destinations' running rate limiters, so a smart host's new quota takes effect without a
 * restart. The limiters {@link DestinationGuard} holds are adjusted in place
 * ({@link RateLimiter#changeLimitForPeriod}, {@link RateLimiter#changeTimeoutDuration}), which keeps
 * their meters and the permits already taken in this period.
 *
 * <p>What Resilience4j cannot change on a live limiter waits for a restart and is reported as such:
 * a new {@code limit-refresh-period}, a limiter added to or removed from a destination, and the
 * limiter of a destination that a refresh added. New values are checked as at startup (unknown
 * keys, instances that name no destination, a limit below 1, a missing period), and a bad one
 * refuses the whole refresh.
 */
public final class RateLimitRefresh implements RefreshParticipant {

    private static final String PREFIX = "resilience4j.ratelimiter";

    private final DestinationGuard guard;
    private final Environment environment;

    public RateLimitRefresh(DestinationGuard guard, Environment environment) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Prepared prepare(PosternProperties next) {
        return prepare(DestinationGuardConfiguration.names(next.routing()));
    }

    /** Binds {@code resilience4j.ratelimiter} as it is now, strictly, and plans the change for these destinations. */
    Prepared prepare(Set<String> destinations) {
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));
        CommonRateLimiterConfigurationProperties properties;
        try {
            DestinationGuardConfiguration.checkKeys(binder, PREFIX,
                    CommonRateLimiterConfigurationProperties.InstanceProperties.class, destinations);
            properties = binder.bind(PREFIX, Bindable.of(CommonRateLimiterConfigurationProperties.class))
                    .orElseGet(CommonRateLimiterConfigurationProperties::new);
        } catch (BindException e) { // Resilience4j's setters refuse bad values: say where, and the setter's reason
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(e.getName() + ": " + cause.getMessage(), e);
        }
        return plan(destinations, properties);
    }

    /** The changes from the running limiters to {@code properties}, checked, not yet applied. */
    Prepared plan(Set<String> destinations, CommonRateLimiterConfigurationProperties properties) {
        List<String> changed = new ArrayList<>();
        List<String> restartOnly = new ArrayList<>();
        List<Runnable> changes = new ArrayList<>();
        Set<String> names = new TreeSet<>(destinations);
        names.addAll(guard.names());
        for (String name : names) {
            boolean configured = properties.getInstances().containsKey(name) || properties.getConfigs().containsKey("default");
            RateLimiter running = guard.rateLimiter(name).orElse(null);
            String where = PREFIX + ".instances[" + name + "]";
            if (running == null) {
                if (configured) {
                    restartOnly.add(where + " (a rate limiter for a destination that runs without one)");
                }
                continue;
            }
            if (!configured) {
                restartOnly.add(where + " (removing a running rate limiter)");
                continue;
            }
            RateLimiterConfig wanted = config(name, properties);
            RateLimiterConfig now = running.getRateLimiterConfig();
            if (!wanted.getLimitRefreshPeriod().equals(now.getLimitRefreshPeriod())) {
                restartOnly.add(where + ".limit-refresh-period");
            }
            if (wanted.getLimitForPeriod() != now.getLimitForPeriod()) {
                changed.add(where + ".limit-for-period");
                int limit = wanted.getLimitForPeriod();
                changes.add(() -> running.changeLimitForPeriod(limit));
            }
            if (!wanted.getTimeoutDuration().equals(now.getTimeoutDuration())) {
                changed.add(where + ".timeout-duration");
                Duration timeout = wanted.getTimeoutDuration();
                changes.add(() -> running.changeTimeoutDuration(timeout));
            }
        }
        return new Planned(List.copyOf(changed), List.copyOf(restartOnly), List.copyOf(changes));
    }

    /** The instance's effective configuration (instance over its base config over the defaults), checked as at startup. */
    private static RateLimiterConfig config(String name, CommonRateLimiterConfigurationProperties properties) {
        String where = properties.getInstances().containsKey(name) ? PREFIX + ".instances[" + name + "]"
                : PREFIX + ".configs.default";
        RateLimiterConfig config;
        try {
            CommonRateLimiterConfigurationProperties.InstanceProperties instance = properties.getInstances()
                    .getOrDefault(name, properties.getConfigs().get("default"));
            config = properties.createRateLimiterConfig(instance, new CompositeCustomizer<>(List.of()), name);
        } catch (RuntimeException e) { // Resilience4j's builder refuses a limit below 1 or a negative timeout
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (config.getLimitRefreshPeriod().compareTo(DestinationGuardConfiguration.MIN_REFRESH_PERIOD) < 0) {
            throw new IllegalArgumentException(where + ".limit-refresh-period: " + config.getLimitRefreshPeriod().toNanos()
                    + " ns is Resilience4j's default, not a mail rate; set the period the limit is for (e.g. 1s)");
        }
        return config;
    }

    private record Planned(List<String> changed, List<String> restartOnly, List<Runnable> changes) implements Prepared {
        @Override
        public void apply() {
            changes.forEach(Runnable::run);
        }
    }
}
