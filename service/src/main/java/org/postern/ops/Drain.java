package org.postern.ops;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postern.queue.QueueManager;
import org.postern.routing.Route;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful drain of a stopping relay (docs/operations.md), bounded as a whole by
 * {@code postern.drain.timeout}:
 * <ol>
 *   <li>{@link #begin}: readiness goes DOWN first (so the load balancer stops sending clients),
 *       then the SMTP listeners stop taking mail: new sessions get 421 4.3.2, open transactions may
 *       finish. The SMTP server's own stop then waits for them and closes the listeners.</li>
 *   <li>{@link #finish}: delivery goes on while there is work due now (attempts in progress, messages
 *       just accepted or whose retry time has come); with a handoff peer, for at most half of the
 *       time left, so the handoff gets the other half. Then the queue stops.</li>
 *   <li>With a handoff peer, everything still queued is relayed to it (see
 *       {@link QueueManager#handOff}) until the deadline.</li>
 * </ol>
 * What is not delivered or handed off stays in the spool and is delivered after the next start.
 */
public final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    private static final long POLL_MILLIS = 50;

    private final Duration timeout;
    private final Route.Relay handoff;
    private final SmtpServer server;
    private final QueueManager queue;
    private final Spool spool;
    private final DrainState state;
    private final Runnable refuseTraffic;
    private final Clock clock;
    private final AtomicBoolean begun = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Instant started;
    private volatile Instant deadline;

    /**
     * @param handoff       the peer relay that takes what is left, or null
     * @param refuseTraffic marks the application as refusing traffic (readiness DOWN)
     */
    public Drain(Duration timeout, Route.Relay handoff, SmtpServer server, QueueManager queue, Spool spool,
            DrainState state, Runnable refuseTraffic, Clock clock) {
        this.timeout = timeout;
        this.handoff = handoff;
        this.server = server;
        this.queue = queue;
        this.spool = spool;
        this.state = state;
        this.refuseTraffic = refuseTraffic;
        this.clock = clock;
    }

    /** Readiness DOWN, then the listeners refuse new mail. Idempotent. */
    public void begin() {
        if (!begun.compareAndSet(false, true)) {
            return;
        }
        started = clock.instant();
        deadline = started.plus(timeout);
        state.begin(deadline);
        refuseTraffic.run();
        log.info("drain: not ready; SMTP listeners refuse new mail; draining for up to {}{}", timeout,
                handoff == null ? "" : ", then handing queued mail to " + handoff);
        server.drain(timeout);
    }

    /**
     * After the SMTP server has stopped: delivers what is due, stops the queue, hands off what is
     * left. Idempotent; begins the drain first if nothing did.
     */
    public void finish() {
        begin();
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        state.enter(DrainState.Phase.DELIVERY);
        Instant now = clock.instant();
        Instant deliverUntil = handoff == null || !now.isBefore(deadline) ? deadline
                : now.plus(Duration.between(now, deadline).dividedBy(2));
        awaitDeliveries(deliverUntil);
        queue.stop(remaining(deliverUntil));
        if (handoff != null) {
            state.enter(DrainState.Phase.HANDOFF);
            queue.handOff(handoff, deadline);
        }
        state.enter(DrainState.Phase.STOPPED);
        String left;
        try {
            left = String.valueOf(spool.queueIds().size());
        } catch (IOException e) {
            left = "unknown (" + e.getMessage() + ")";
        }
        log.info("drain: done in {} ms; {} messages left in the spool, delivered after the next start",
                Duration.between(started, clock.instant()).toMillis(), left);
    }

    /**
     * Waits while there is delivery work due now, up to {@code until}. Idle must be seen twice in a
     * row: a message moves from the schedule to the active set in two steps.
     */
    private void awaitDeliveries(Instant until) {
        int idle = 0;
        while (clock.instant().isBefore(until) && idle < 2) {
            Instant next = queue.nextAttempt();
            boolean due = next != null && !next.isAfter(clock.instant());
            idle = queue.activeCount() == 0 && !due ? idle + 1 : 0;
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Duration remaining(Instant until) {
        Duration d = Duration.between(clock.instant(), until);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
