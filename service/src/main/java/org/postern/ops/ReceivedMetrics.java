package org.postern.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postern.smtp.server.MessageReceivedListener;

/** Counts messages received over SMTP by listener (daemon port name) and outcome (a bounded set). */
public final class ReceivedMetrics implements MessageReceivedListener {

    private final MeterRegistry registry;

    public ReceivedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void received(String listener, String outcome) {
        Counter.builder("postern.messages.received")
                .description("Messages whose content was received over SMTP, by listener and outcome")
                .tag("listener", listener).tag("outcome", outcome).register(registry).increment();
    }
}
