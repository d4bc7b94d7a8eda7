package org.postern.queue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.spool.QuarantineException;
import org.postern.spool.RecipientState;
import org.postern.rewriting.MailerRewritings;
import org.postern.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a drain with a peer relay ({@code postern.drain.handoff}): every message still
 * in the spool is relayed to the peer over SMTP, its pending recipients only, with the envelope and
 * DSN parameters the queue itself would send (MAIL FROM with RET, ENVID, BODY, SMTPUTF8; RCPT with
 * NOTIFY, ORCPT): it goes through the same {@link DeliveryAgent}. Each recipient the peer accepts
 * is recorded as delivered (action "delivered", or "relayed" when the peer does not offer DSN), and
 * a message left without pending recipients is completed as usual: its DSN, if one is due, is
 * spooled and handed off in turn, then the message is removed.
 *
 * <p>A recipient the peer does not accept (no connection, 4xx, 5xx) stays pending and is not
 * bounced: the peer's refusal says nothing about the recipient. Its message stays in the spool for
 * the next start; failed messages are offered again, after a growing pause, until the deadline.
 * Runs after {@link QueueManager#stop}, so no other attempt works on the spool meanwhile.
 */
public final class Handoff {
    private static final Logger log = LoggerFactory.getLogger(Handoff.class);
    /** Messages read and in flight at once: memory stays bounded however long the queue. */
    static final int WINDOW = 1000;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(4);
    /** After the deadline, how long interrupted deliveries get to wind down. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(5);

    /**
     * What a handoff did.
     *
     * @param messagesHandedOff   messages whose last pending recipients the peer accepted (now removed)
     * @param recipientsHandedOff recipients the peer accepted
     * @param messagesLeft        messages still in the spool afterwards; -1 when the spool could not be listed
     */
    public record Result(int messagesHandedOff, int recipientsHandedOff, int messagesLeft) {
    }

    private final QueueManager queue;
    private final Spool spool;
    private final Destination peer;
    private final DeliveryAgent agent;
    private final int concurrency;
    private final Clock clock;
    private final Semaphore window = new Semaphore(WINDOW);
    /** Messages removed from the spool (or gone from it) during this handoff. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger recipients = new AtomicInteger();

    Handoff(QueueManager queue, Spool spool, Destination peer, NextHopConnector connector, QueueEvents events,
            int concurrency, Clock clock) {
        this.queue = queue;
        this.spool = spool;
        this.peer = peer;
        this.agent = new DeliveryAgent(spool, connector, this::record, events, DestinationGuard.NONE,
                () -> MailerRewritings.NONE, () -> OutboundHeaders.NONE); // the peer gets the message as received
        this.concurrency = concurrency;
        this.clock = clock;
    }

    /** Hands off what is in the spool until it is empty or {@code deadline} has passed. */
    Result run(Instant deadline) {
        DestinationQueue destination = new DestinationQueue(peer, concurrency, new Semaphore(concurrency), agent, DestinationGuard.NONE);
        log.info("handoff to {}: relaying every queued message, until {}", peer, deadline);
        Duration pause = FIRST_PAUSE;
        try {
            while (clock.instant().isBefore(deadline)) {
                List<String> ids = new ArrayList<>(spool.queueIds());
                ids.removeAll(done);
                if (ids.isEmpty()) {
                    break;
                }
                int before = done.size();
                offerAll(ids, destination, deadline);
                if (!awaitInFlight(deadline)) {
                    break;
                }
                if (done.size() - before >= ids.size()) {
                    pause = FIRST_PAUSE; // all went: the next pass takes the DSNs spooled meanwhile, if any
                    continue;
                }
                // The peer refused some: offer them again after a pause (it may be restarting, or a
                // Service may have routed us to a replica that is itself draining).
                long sleep = Math.min(pause.toMillis(), Duration.between(clock.instant(), deadline).toMillis());
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        } catch (IOException e) {
            log.error("handoff to {}: cannot list the spool: {}", peer, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // At the deadline: deliveries still running are interrupted; their recipients stay pending.
            destination.shutdown();
            awaitInFlight(clock.instant().plus(WIND_DOWN));
            destination.shutdown(); // sessions parked meanwhile
        }
        int left;
        try {
            left = spool.queueIds().size();
        } catch (IOException e) {
            left = -1;
        }
        Result result = new Result(messages.get(), recipients.get(), left);
        log.info("handoff to {}: {} messages ({} recipients) handed off, {} left in the spool", peer,
                result.messagesHandedOff(), result.recipientsHandedOff(), left);
        return result;
    }

    private void offerAll(List<String> ids, DestinationQueue destination, Instant deadline)
            throws InterruptedException {
        for (String id : ids) {
            long millis = Duration.between(clock.instant(), deadline).toMillis();
            if (millis <= 0 || !window.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                return;
            }
            if (!offer(id, destination)) {
                window.release();
            }
        }
    }

    /** Submits one message's pending recipients; false when nothing was submitted (the permit is then the caller's). */
    private boolean offer(String id, DestinationQueue destination) {
        QueuedMessage message;
        try {
            message = QueuedMessage.of(spool.read(id));
        } catch (NoSuchFileException | QuarantineException e) {
            done.add(id);
            return false;
        } catch (IOException e) {
            log.error("{}: cannot read from the spool, not handed off: {}", id, e.toString());
            return false;
        }
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < message.states.length; i++) {
            if (message.states[i] == RecipientState.PENDING) {
                pending.add(i);
            }
        }
        if (pending.isEmpty()) { // every recipient final, not yet removed (a stop came in between)
            complete(message);
            return false;
        }
        MessageAttempt attempt = new MessageAttempt(message, this::finished);
        attempt.jobStarted();
        destination.submit(new DeliveryJob(attempt, peer, pending));
        attempt.jobDone();
        return true;
    }

    /** Only an acceptance is recorded: anything else leaves the recipient pending, for the next start. */
    private void record(MessageAttempt attempt, int index, Destination destination, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            queue.record(attempt, index, destination, outcome);
            if (attempt.message.states[index] != RecipientState.PENDING) {
                recipients.incrementAndGet();
            }
            return;
        }
        log.warn("{}: to=<{}> not handed off to {}, left in the spool: {} ({})", attempt.message.queueId(),
                attempt.message.envelope.recipients().get(index).address(), destination, outcome.status(),
                outcome.diagnostic());
    }

    private void finished(MessageAttempt attempt) {
        try {
            if (!attempt.message.hasPending()) {
                complete(attempt.message);
                messages.incrementAndGet();
            }
        } finally {
            window.release();
        }
    }

    private void complete(QueuedMessage message) {
        String id = message.queueId();
        try {
            queue.complete(message, clock.instant());
            done.add(id);
        } catch (QuarantineException e) {
            log.error("{}: spool file is corrupt and was quarantined: {}", id, e.getMessage());
            done.add(id);
        } catch (IOException | RuntimeException e) {
            log.error("{}: handed off but cannot be completed; it stays in the spool: {}", id, e.toString());
        }
    }

    /** Waits until nothing is in flight; false if the deadline came first. */
    private boolean awaitInFlight(Instant deadline) {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            if (window.tryAcquire(WINDOW, millis, TimeUnit.MILLISECONDS)) {
                window.release(WINDOW);
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
