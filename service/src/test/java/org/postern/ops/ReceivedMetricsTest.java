package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Received messages are counted by listener and outcome; commit times go to one timer per listener. */
class ReceivedMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReceivedMetrics metrics = new ReceivedMetrics(registry);

    @Test
    void countsByListenerAndOutcome() {
        metrics.received("MTA", "accepted");
        metrics.received("MTA", "accepted");
        metrics.received("MSA", "rejected_size");

        assertThat(registry.get("postern.messages.received").tags("listener", "MTA", "outcome", "accepted").counter()
                .count()).isEqualTo(2.0);
        assertThat(registry.get("postern.messages.received").tags("listener", "MSA", "outcome", "rejected_size")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void commitTimesPerListener() {
        metrics.committed("MTA", TimeUnit.MILLISECONDS.toNanos(3));
        metrics.committed("MTA", TimeUnit.MILLISECONDS.toNanos(5));
        metrics.committed("MSA", TimeUnit.MILLISECONDS.toNanos(40));

        Timer mta = registry.get("postern.smtp.data.commit").tag("listener", "MTA").timer();
        assertThat(mta.count()).isEqualTo(2);
        assertThat(mta.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8.0);
        assertThat(mta.max(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        assertThat(registry.get("postern.smtp.data.commit").tag("listener", "MSA").timer().count()).isEqualTo(1);
    }
}
