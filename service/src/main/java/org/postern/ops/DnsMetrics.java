package org.postern.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postern.dns.DnsLookupListener;

/** Counts DNS lookups by record type and outcome (both bounded sets, see {@link DnsLookupListener}). */
public final class DnsMetrics implements DnsLookupListener {

    private final MeterRegistry registry;

    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void lookup(String type, String outcome) {
        Counter.builder("postern.dns.lookups").description("DNS lookups by record type and outcome")
                .tag("type", type).tag("outcome", outcome).register(registry).increment();
    }
}
