package org.postern.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.postern.queue.DeliveryOutcome;
import org.postern.queue.Destination;
import org.postern.queue.QueueEvents;

/**
 * Counts what the queue does: recipient outcomes by mailer, expiries, outbound connections, and
 * how long messages stayed in the queue. Labels are bounded: the mailer's name (configured, plus
 * "error" and "discard"), never a domain or queue id.
 */
public final class DeliveryMetrics implements QueueEvents {

    /** Mailer label for outcomes decided by an {@code error:} route or before routing. */
    static final String ERROR_MAILER = "error";
    /** Mailer label for recipients dropped by a {@code discard:} route (counted as delivered). */
    static final String DISCARD_MAILER = "discard";

    private final MeterRegistry registry;
    private final Counter expired;
    private final Timer inQueue;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.expired = Counter.builder("postern.recipients.expired")
                .description("Recipients that reached the queue lifetime and were returned to the sender")
                .register(registry);
        this.inQueue = Timer.builder("postern.delivery.duration")
                .description("Time from acceptance to removal from the queue (every recipient final)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofDays(5))
                .register(registry);
    }

    @Override
    public void outcome(Destination destination, DeliveryOutcome outcome) {
        String mailer = destination != null ? destination.mailer().name()
                : outcome instanceof DeliveryOutcome.Discarded ? DISCARD_MAILER : ERROR_MAILER;
        String name = switch (outcome) {
            case DeliveryOutcome.Delivered d -> "postern.recipients.delivered";
            case DeliveryOutcome.Discarded d -> "postern.recipients.delivered";
            case DeliveryOutcome.Deferred d -> "postern.recipients.deferred";
            case DeliveryOutcome.Failed f -> "postern.recipients.bounced";
        };
        Counter.builder(name).description(description(name)).tag("mailer", mailer).register(registry).increment();
    }

    @Override
    public void expired(String queueId) {
        expired.increment();
    }

    @Override
    public void connection(Destination destination, boolean connected, boolean tls) {
        Counter.builder("postern.outbound.connections")
                .description("Attempts to open an SMTP session to a next hop, by result and whether TLS is on")
                .tag("outcome", connected ? "connected" : "failed")
                .tag("tls", Boolean.toString(connected && tls))
                .register(registry).increment();
    }

    @Override
    public void removed(String queueId, Duration inQueue) {
        this.inQueue.record(inQueue);
    }

    private static String description(String name) {
        return switch (name) {
            case "postern.recipients.delivered" -> "Recipients accepted by the next hop (or discarded by a route)";
            case "postern.recipients.deferred" -> "Recipient attempts that failed temporarily and will be retried";
            default -> "Recipients that failed permanently and are reported to the sender";
        };
    }
}
