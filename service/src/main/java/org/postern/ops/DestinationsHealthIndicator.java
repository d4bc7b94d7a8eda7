package org.postern.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.postern.queue.DestinationGuard;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code destinations} health indicator: the circuit of each configured next hop (smart host
 * and routes). While any circuit is open, Postern defers that destination's mail without trying it,
 * and reports {@link #CIRCUIT_OPEN}: a status ordered between OUT_OF_SERVICE and UP, so the overall
 * health shows it, but served with HTTP 200, because the relay itself works and queues the mail.
 * Not part of the readiness group: a smart host's outage is no reason to stop accepting mail.
 */
public final class DestinationsHealthIndicator implements HealthIndicator {

    /** At least one configured destination's circuit is open (or forced open). */
    public static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN",
            "mail for a destination is deferred without connecting: its circuit breaker is open");

    private final DestinationGuard guard;

    public DestinationsHealthIndicator(DestinationGuard guard) {
        this.guard = guard;
    }

    @Override
    public Health health() {
        boolean open = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (DestinationGuard.CircuitStatus c : guard.circuits()) {
            open |= c.refusing();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", c.state().name());
            d.put("failureRate", c.failureRate());
            d.put("bufferedCalls", c.bufferedCalls());
            d.put("failedCalls", c.failedCalls());
            d.put("notPermittedCalls", c.notPermittedCalls());
            details.put(c.name(), d);
        }
        return (open ? Health.status(CIRCUIT_OPEN) : Health.up()).withDetails(details).build();
    }
}
