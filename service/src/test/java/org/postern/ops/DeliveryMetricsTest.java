package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postern.mailer.Mailers;
import org.postern.queue.DeliveryOutcome;
import org.postern.queue.Destination;
import org.postern.queue.FailureScope;
import org.postern.routing.Route;

/** Recipient outcomes land in the right counter with the mailer label; routes without a mailer get error/discard. */
class DeliveryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);
    private final Destination esmtp = new Destination(Mailers.builtIn().get("esmtp"),
            new Route.Relay("esmtp", null, 0, true), "example.net");

    @Test
    void countsEachOutcomeByMailer() {
        metrics.outcome(esmtp, new DeliveryOutcome.Delivered("2.0.0", "250 ok", "mx.example.net", true));
        metrics.outcome(esmtp, new DeliveryOutcome.Deferred("4.0.0", "451", "mx.example.net", FailureScope.SITE));
        metrics.outcome(esmtp, new DeliveryOutcome.Failed("5.1.1", "550", "mx.example.net", FailureScope.RECIPIENT));
        metrics.outcome(null, new DeliveryOutcome.Failed("5.7.1", "550 no", null, FailureScope.RECIPIENT));
        metrics.outcome(null, new DeliveryOutcome.Discarded("2.0.0", "discarded by route", null));

        assertThat(count("postern.recipients.delivered", "esmtp")).isEqualTo(1.0);
        assertThat(count("postern.recipients.deferred", "esmtp")).isEqualTo(1.0);
        assertThat(count("postern.recipients.bounced", "esmtp")).isEqualTo(1.0);
        assertThat(count("postern.recipients.bounced", "error")).isEqualTo(1.0);
        assertThat(count("postern.recipients.delivered", "discard")).isEqualTo(1.0);
        assertThat(registry.find("postern.recipients.delivered").tag("mailer", "error").counter()).isNull();
    }

    @Test
    void connectionsByOutcomeAndTlsAndQueueTimes() {
        metrics.connection(esmtp, true, true);
        metrics.connection(esmtp, false, true); // no session, so no TLS
        metrics.removed("Q1", Duration.ofSeconds(90));
        metrics.expired("Q2");

        assertThat(registry.get("postern.outbound.connections").tags("outcome", "connected", "tls", "true")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("postern.outbound.connections").tags("outcome", "failed", "tls", "false")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("postern.delivery.duration").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(90.0);
        assertThat(registry.get("postern.recipients.expired").counter().count()).isEqualTo(1.0);
    }

    private double count(String name, String mailer) {
        return registry.get(name).tag("mailer", mailer).counter().count();
    }
}
