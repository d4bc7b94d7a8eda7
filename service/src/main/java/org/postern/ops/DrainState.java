package org.postern.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a drain stands, for the {@code drain} health indicator: DOWN from the moment the drain
 * begins, so readiness reports the relay as not accepting mail before its listeners start to
 * refuse it. Written by {@link Drain}, read by health probes on other threads.
 */
public final class DrainState {

    /** The steps of a drain, in order. */
    public enum Phase {
        /** Not draining: taking mail. */
        SERVING,
        /** New sessions get 421; open transactions may finish. */
        SESSIONS,
        /** The listeners are closed; deliveries due now go on. */
        DELIVERY,
        /** Queued mail is being relayed to the peer. */
        HANDOFF,
        /** Delivery has stopped; what is left stays in the spool. */
        STOPPED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String handoff;
    private volatile Phase phase = Phase.SERVING;
    private volatile Instant deadline;

    /** @param handoff the handoff peer for the details, or null */
    public DrainState(String handoff) {
        this.handoff = handoff;
    }

    void begin(Instant deadline) {
        this.deadline = deadline;
        this.phase = Phase.SESSIONS;
    }

    void enter(Phase next) {
        this.phase = next;
    }

    public Phase phase() {
        return phase;
    }

    public boolean isDraining() {
        return phase != Phase.SERVING;
    }

    public HealthReport health() {
        Map<String, Object> details = new LinkedHashMap<>();
        Phase p = phase;
        details.put("phase", p.label());
        if (p != Phase.SERVING) {
            details.put("deadline", String.valueOf(deadline));
        }
        if (handoff != null) {
            details.put("handoff", handoff);
        }
        return new HealthReport(p == Phase.SERVING, details);
    }
}
