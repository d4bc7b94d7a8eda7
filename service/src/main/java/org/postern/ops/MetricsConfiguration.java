package org.postern.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import org.postern.queue.QueueManager;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Postern's meters (docs/metrics.md). The event listeners are picked up by the queue, the
 * DNS resolver and the SMTP server as optional beans; the gauges read those components when scraped.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    /** The spool size is recomputed at most this often: it lists {@code queue/}. */
    static final Duration SPOOL_USAGE_MAX_AGE = Duration.ofSeconds(10);

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    @Bean
    DnsMetrics dnsMetrics(MeterRegistry registry) {
        return new DnsMetrics(registry);
    }

    @Bean
    ReceivedMetrics receivedMetrics(MeterRegistry registry) {
        return new ReceivedMetrics(registry);
    }

    @Bean
    AuthMetrics authMetrics(MeterRegistry registry) {
        return new AuthMetrics(registry);
    }

    @Bean
    MeterBinder queueGauges(QueueManager queue) {
        return registry -> {
            Gauge.builder("postern.queue.messages", queue, QueueManager::activeCount)
                    .description("Messages in the queue: with an attempt in progress (active), waiting for one, or on hold (held)")
                    .tag("state", "active").register(registry);
            Gauge.builder("postern.queue.messages", queue, QueueManager::waitingCount)
                    .description("Messages in the queue: with an attempt in progress (active), waiting for one, or on hold (held)")
                    .tag("state", "waiting").register(registry);
            Gauge.builder("postern.queue.messages", queue, QueueManager::heldCount)
                    .description("Messages in the queue: with an attempt in progress (active), waiting for one, or on hold (held)")
                    .tag("state", "held").register(registry);
            Gauge.builder("postern.queue.oldest.message.age", queue, MetricsConfiguration::oldestAgeSeconds)
                    .description("Age of the oldest message in the queue; 0 when the queue is empty")
                    .baseUnit("seconds").register(registry);
        };
    }

    @Bean
    MeterBinder smtpGauges(SmtpServer server) {
        return registry -> {
            for (String listener : server.daemonNames()) {
                Gauge.builder("postern.smtp.sessions.active", server, s -> s.activeSessions(listener))
                        .description("Open inbound SMTP sessions, by listener (daemon port)")
                        .tag("listener", listener).register(registry);
            }
        };
    }

    @Bean
    MeterBinder spoolGauges(Spool spool) {
        SpoolUsage usage = new SpoolUsage(spool.directory(), SPOOL_USAGE_MAX_AGE, System::nanoTime);
        return registry -> Gauge.builder("postern.spool", usage, SpoolUsage::bytes)
                .description("Bytes held in the spool's queue/ directory (recomputed at most every 10 s)")
                .baseUnit("bytes").register(registry);
    }

    private static double oldestAgeSeconds(QueueManager queue) {
        Instant oldest = queue.oldestArrival();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }
}
