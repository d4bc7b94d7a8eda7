package org.postern.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.postern.smtp.server.MessageReceivedListener;

/**
 * Counts messages received over SMTP by listener (daemon port name) and outcome (a bounded set), and
 * times each accepted message's commit, from the end of its content to its 250.
 */
public final class ReceivedMetrics implements MessageReceivedListener {

    private final MeterRegistry registry;
    /** One timer per listener: a bounded set, looked up per message without building a meter id. */
    private final Map<String, Timer> commitTimers = new ConcurrentHashMap<>();

    public ReceivedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void received(String listener, String outcome) {
        Counter.builder("postern.messages.received")
                .description("Messages whose content was received over SMTP, by listener and outcome")
                .tag("listener", listener).tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public void committed(String listener, long nanos) {
        commitTimers.computeIfAbsent(listener, l -> Timer.builder("postern.smtp.data.commit")
                .description("Time from the end of an accepted message's content (final dot or last BDAT) to its 250:"
                        + " the spool commit with its fsyncs")
                .tag("listener", l)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
