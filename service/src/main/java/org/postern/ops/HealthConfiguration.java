package org.postern.ops;

import java.time.Clock;
import org.postern.config.HealthProperties;
import org.postern.config.PosternProperties;
import org.postern.queue.QueueManager;
import org.postern.spool.Spool;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Postern's health indicators (docs/operations.md). Each bean's name, less the
 * {@code HealthIndicator} suffix, is the indicator's name in {@code /actuator/health} and in the
 * groups of {@code management.endpoint.health.group.*}: {@code spool} and {@code drain} are in the
 * readiness group, {@code queue} in none.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean
    HealthIndicator spoolHealthIndicator(Spool spool, PosternProperties properties) {
        SpoolHealth check = new SpoolHealth(spool.directory(), properties.health().spoolMinFreeSpace().toBytes());
        return () -> health(check.check());
    }

    @Bean
    HealthIndicator queueHealthIndicator(QueueManager queue, PosternProperties properties) {
        HealthProperties h = properties.health();
        QueueHealth check = new QueueHealth(queue::activeCount, queue::waitingCount, queue::oldestArrival,
                Clock.systemUTC(), h.queueBacklogWarning(), h.queueAgeWarning());
        return () -> health(check.check());
    }

    @Bean
    HealthIndicator drainHealthIndicator(DrainState state) {
        return () -> health(state.health());
    }

    static Health health(HealthReport report) {
        return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
    }
}
