package org.postern.queue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.postern.config.refresh.RuntimeConfiguration;
import org.postern.maillog.MailLog;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerType;
import org.postern.mailer.Mailers;
import org.postern.routing.Route;
import org.postern.routing.Router;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.Envelope;
import org.postern.smtp.Recipient;
import org.postern.smtp.Xtext;
import org.postern.spool.DeliverySchedule;
import org.postern.spool.QuarantineException;
import org.postern.spool.RecipientState;
import org.postern.spool.Spool;
import org.postern.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager: takes each spooled message (as it is accepted, and at startup), routes its
 * pending recipients, hands them to per-destination queues, and when an attempt is over either
 * completes the message (DSN, then removal), bounces what has expired, or persists the next
 * attempt time and schedules it. At most one attempt per message runs at a time.
 *
 * <p>Durability: a recipient's final state is fsynced right after the next hop's reply (see
 * {@link #record}), or, for the one that leaves no recipient pending, by the message's removal right
 * after; the schedule is fsynced before the message waits; a message is removed only after its DSN
 * is in the spool. A crash therefore repeats at most the deliveries in flight.
 */
public final class QueueManager {
    private static final Logger log = LoggerFactory.getLogger(QueueManager.class);

    private final Spool spool;
    /** Routes and mailers in effect; a runtime refresh replaces them, so read once per attempt. */
    private final Supplier<RuntimeConfiguration> runtime;
    private final QueueSettings settings;
    private final RetrySchedule retry;
    private final Clock clock;
    private final QueueEvents events;
    private final Bouncer bouncer;
    private final DeliveryAgent agent;
    private final NextHopConnector connector;
    private final DestinationGuard guard;
    private final Semaphore sessions;
    private final Semaphore activeMessages;
    private final Map<Destination, DestinationQueue> destinations = new ConcurrentHashMap<>();
    private final DelayQueue<Due> schedule = new DelayQueue<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    /** The last temporary failure per pending recipient, for delay notices and expiry bounces. */
    private final Map<String, DeliveryOutcome[]> lastDeferrals = new ConcurrentHashMap<>();
    /** Arrival of every message in the queue, by id and sorted by arrival: the oldest for metrics. */
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    private final NavigableSet<InQueue> byArrival = new ConcurrentSkipListSet<>();
    /** Messages the operator put on hold (persisted in the spool): never scheduled until released. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private Thread scheduler;
    /** Reads the spool's messages found at open into the schedule, after startup; see {@link #startRecovery}. */
    private volatile Thread recovery;
    private ScheduledExecutorService sweeper;

    /**
     * @param guard      circuit breakers, rate limits and bulkheads of the configured destinations
     */
    QueueManager(Spool spool, Supplier<RuntimeConfiguration> runtime, NextHopConnector connector,
            QueueSettings settings, RetrySchedule retry, Clock clock, QueueEvents events, DestinationGuard guard) {
        this.spool = spool;
        this.runtime = runtime;
        this.settings = settings;
        this.retry = retry;
        this.clock = clock;
        this.events = events;
        this.bouncer = new Bouncer(spool, settings.reportingMta(), settings.bounceSizeLimit(), clock);
        this.guard = guard;
        // Header rules and rewriting follow a refresh: each transaction reads the snapshot in force.
        this.agent = new DeliveryAgent(spool, connector, new DeliveryAgent.Recorder() {
            @Override
            public void record(MessageAttempt attempt, int recipient, Destination destination, DeliveryOutcome outcome) {
                QueueManager.this.record(attempt, recipient, destination, outcome);
            }

            @Override
            public void recordAll(MessageAttempt attempt, List<Integer> recipients, Destination destination,
                    List<DeliveryOutcome> outcomes) {
                QueueManager.this.recordAll(attempt, recipients, destination, outcomes);
            }
        }, events, guard,
                () -> runtime.get().rewritings(), new OutboundHeadersCache(runtime));
        this.connector = connector;
        this.sessions = new Semaphore(settings.maxConcurrency());
        this.activeMessages = new Semaphore(settings.maxActiveMessages());
    }

    /**
     * Starts the scheduler. The messages the spool found at open are scheduled by
     * {@link #startRecovery()}, once the relay is up.
     */
    public void start() {
        scheduler = Thread.ofPlatform().daemon().name("postern-queue-scheduler").start(this::runScheduler);
        long sweepMillis = Math.max(100, Math.min(1000, settings.connectionCacheTime().toMillis() / 2));
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("postern-connection-cache").unstarted(r));
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        log.info("queue started; {} spool files to recover", spool.uncheckedCount());
    }

    /**
     * Starts recovery in the background: the messages the spool found at open are scheduled as their
     * files are checked. Called once the relay is ready, so that a long queue holds up neither its
     * startup nor its first answers (accepting new mail needs only the spool). Each recovered message
     * costs the queue a few small objects (its id, due time and arrival), never its envelope: that is
     * read again for each attempt. Later calls do nothing.
     */
    public synchronized void startRecovery() {
        if (recovery != null || stopping) {
            return;
        }
        recovery = Thread.ofPlatform().daemon().name("postern-queue-recovery").start(this::recover);
    }

    private void recover() {
        long started = System.nanoTime();
        try {
            spool.recover(this::recovered);
            log.info("queue recovered from the spool in {} ms: {} messages waiting, {} on hold",
                    (System.nanoTime() - started) / 1_000_000, schedule.size(), held.size());
        } catch (InterruptedIOException e) {
            log.info("queue recovery stopped; {} spool files left for the next start", spool.uncheckedCount());
        } catch (IOException | RuntimeException e) {
            // The files stay in the spool: the next start recovers them.
            log.error("queue recovery failed; {} spool files not scheduled until a restart: {}",
                    spool.uncheckedCount(), e.toString());
        }
    }

    /**
     * One message the spool found at open: tracked, then scheduled for its next attempt (at once when
     * that is past) unless it is on hold. Called from the spool's recovery threads.
     */
    void recovered(SpooledMessage m) {
        recovered(m.queueId(), m.envelope().arrival(), m.schedule().nextAttempt(), m.held());
    }

    void recovered(String queueId, Instant arrival, Instant nextAttempt, boolean onHold) {
        if (stopping) {
            return;
        }
        track(queueId, arrival);
        if (onHold) {
            held.add(queueId);
            return;
        }
        Instant now = clock.instant();
        schedule.add(new Due(queueId, nextAttempt.isBefore(now) ? now : nextAttempt));
    }

    /** A message was just committed by the SMTP server: try it at once if there is room. */
    public void accepted(Envelope envelope, long contentLength) {
        accepted(envelope, contentLength, null);
    }

    /**
     * As {@link #accepted(Envelope, long)}, with the header block the session kept (null when it
     * kept none): the first attempt edits headers from it instead of reading the spool file back.
     */
    public void accepted(Envelope envelope, long contentLength, byte[] headerBlock) {
        String id = envelope.queueId();
        track(id, envelope.arrival());
        if (!stopping && activeMessages.tryAcquire()) {
            if (active.add(id)) {
                Thread.ofVirtual().name("postern-attempt " + id).start(() -> attempt(QueuedMessage.fresh(envelope,
                        contentLength, headerBlock)));
                return;
            }
            activeMessages.release();
        }
        schedule.add(new Due(id, clock.instant()));
    }

    /** Messages waiting for a later attempt (not being attempted now). */
    public int waitingCount() {
        return schedule.size();
    }

    /** Messages with an attempt in progress. */
    public int activeCount() {
        return active.size();
    }

    /** When the next waiting message is due for an attempt; null when none waits. */
    public Instant nextAttempt() {
        Due next = schedule.peek();
        return next == null ? null : next.due;
    }

    /**
     * For a drain with a peer relay ({@code postern.drain.handoff}), after {@link #stop}: relays every
     * message still in the spool to {@code peer} until {@code deadline}, pending recipients only; see
     * {@link Handoff}.
     */
    public Handoff.Result handOff(Route.Relay peer, Instant deadline) {
        Destination destination = Destination.of(runtime.get().mailers().get(peer.mailer()), peer, null);
        return new Handoff(this, spool, destination, connector, events, settings.destinationConcurrency(), clock)
                .run(deadline);
    }

    /** When the oldest message now in the queue arrived; null when the queue is empty. */
    public Instant oldestArrival() {
        try {
            return byArrival.first().arrival();
        } catch (java.util.NoSuchElementException e) {
            return null;
        }
    }

    private void track(String queueId, Instant arrival) {
        if (arrivals.putIfAbsent(queueId, arrival) == null) {
            byArrival.add(new InQueue(arrival, queueId));
        }
    }

    private void untrack(String queueId) {
        held.remove(queueId);
        Instant arrival = arrivals.remove(queueId);
        if (arrival != null) {
            byArrival.remove(new InQueue(arrival, queueId));
        }
    }

    /**
     * Stops scheduling, lets attempts in progress finish for up to {@code grace}, then interrupts
     * them (their recipients stay pending) and closes cached connections.
     */
    public void stop(Duration grace) {
        stopping = true;
        Thread r = recovery;
        if (r != null) {
            r.interrupt();
        }
        if (scheduler != null) {
            scheduler.interrupt();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        awaitIdle(deadline);
        if (!active.isEmpty()) {
            log.warn("{} deliveries still running after {}; interrupting them, their recipients stay queued",
                    active.size(), grace);
        }
        destinations.values().forEach(DestinationQueue::shutdown);
        awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        destinations.values().forEach(DestinationQueue::shutdown); // sessions parked meanwhile
    }

    private void awaitIdle(long deadlineNanos) {
        while (!active.isEmpty() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runScheduler() {
        while (!stopping) {
            Due due;
            try {
                due = schedule.take();
                activeMessages.acquire();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping || held.contains(due.queueId) || !active.add(due.queueId)) {
                activeMessages.release();
                continue;
            }
            Thread.ofVirtual().name("postern-attempt " + due.queueId).start(() -> attemptStored(due.queueId));
        }
    }

    private void attemptStored(String queueId) {
        QueuedMessage message;
        try {
            message = QueuedMessage.of(spool.read(queueId));
        } catch (NoSuchFileException | QuarantineException e) {
            log.warn("{}: gone from the spool ({}); dropped from the queue", queueId, e.getMessage());
            lastDeferrals.remove(queueId);
            untrack(queueId);
            release(queueId, null);
            return;
        } catch (IOException e) {
            log.error("{}: cannot read from the spool, will retry: {}", queueId, e.toString());
            release(queueId, clock.instant().plus(retry.delayAfter(1)));
            return;
        }
        attempt(message);
    }

    /** Routes the pending recipients and submits one job per destination. */
    private void attempt(QueuedMessage message) {
        MessageAttempt attempt = new MessageAttempt(message, this::finish, true);
        RuntimeConfiguration config = runtime.get(); // one snapshot per attempt: its routes and mailers agree
        Router router = config.router();
        Mailers mailers = config.mailers();
        try {
            Map<Destination, List<Integer>> groups = new LinkedHashMap<>();
            List<Recipient> recipients = message.envelope.recipients();
            for (int i = 0; i < recipients.size(); i++) {
                if (message.states[i] != RecipientState.PENDING) {
                    continue;
                }
                String domain = recipients.get(i).address().domainLowerCase();
                if (domain == null) { // accepted unqualified on a listener with modifier u
                    record(attempt, i, null, new DeliveryOutcome.Failed("5.1.3",
                            "unqualified recipient address cannot be routed", null, FailureScope.RECIPIENT));
                    continue;
                }
                Route route = router.route(domain);
                switch (route) {
                    case Route.Error e -> record(attempt, i, null, Outcomes.ofReply(e.reply(), null, false,
                            FailureScope.RECIPIENT));
                    case Route.Discard d -> record(attempt, i, null,
                            new DeliveryOutcome.Discarded("2.0.0", "discarded by route", null));
                    case Route.Relay relay -> {
                        MailerDefinition mailer = mailers.get(relay.mailer());
                        if (MailerHold.holds(mailer, message)) {
                            record(attempt, i, Destination.of(mailer, relay, domain), MailerHold.outcome(mailer));
                            continue;
                        }
                        groups.computeIfAbsent(Destination.of(mailer, relay, domain,
                                message.envelope.sourceAddress()), k -> new ArrayList<>()).add(i);
                    }
                }
            }
            for (Map.Entry<Destination, List<Integer>> g : groups.entrySet()) {
                attempt.jobStarted();
                DeliveryJob job = new DeliveryJob(attempt, g.getKey(), g.getValue());
                destinations.compute(g.getKey(), (k, q) -> {
                    DestinationQueue queue = q != null ? q
                            : new DestinationQueue(k, settings.destinationConcurrency(), sessions, agent, guard);
                    queue.submit(job);
                    return queue;
                });
            }
        } catch (RuntimeException e) {
            log.error("{}: routing failed unexpectedly; recipients stay queued", message.queueId(), e);
        } finally {
            attempt.jobDone();
        }
    }

    /**
     * Records one recipient's outcome. Final outcomes are made durable at once (state record +
     * fsync), so a restart does not deliver them again; deferrals stay in memory.
     */
    void record(MessageAttempt attempt, int index, Destination destination, DeliveryOutcome outcome) {
        recordAll(attempt, List.of(index), destination, List.of(outcome));
    }

    /**
     * Records the outcomes of one transaction's recipients, as {@link #record} does each. When they
     * leave no recipient of the message pending, none of them gets a state record: finish() removes
     * the message as soon as this attempt ends, and the deletion records them durably (one file fsync
     * fewer per recipient; if the removal fails, finish() writes the records after all).
     */
    void recordAll(MessageAttempt attempt, List<Integer> indices, Destination destination,
            List<DeliveryOutcome> outcomes) {
        QueuedMessage message = attempt.message;
        int finals = 0;
        for (int k = 0; k < indices.size(); k++) {
            int index = indices.get(k);
            DeliveryOutcome outcome = outcomes.get(k);
            attempt.outcomes[index] = outcome;
            events.outcome(destination, outcome);
            String verdict = switch (outcome) {
                case DeliveryOutcome.Delivered d -> "sent";
                case DeliveryOutcome.Deferred d -> "deferred";
                case DeliveryOutcome.Failed f -> "bounced";
                case DeliveryOutcome.Discarded d -> "discarded";
            };
            MailLog.recipient(message.queueId(), message.envelope.recipients().get(index).address().toString(),
                    attempt.relays[index] != null ? attempt.relays[index] : MailLog.NO_RELAY,
                    Duration.between(message.arrival(), clock.instant()), outcome.status(), verdict,
                    outcome.diagnostic());
            finals += outcome instanceof DeliveryOutcome.Deferred ? 0 : 1;
        }
        if (finals == 0) {
            return;
        }
        boolean removalRecords = attempt.lastPendingFinal(finals);
        for (int k = 0; k < indices.size(); k++) {
            int index = indices.get(k);
            DeliveryOutcome outcome = outcomes.get(k);
            if (outcome instanceof DeliveryOutcome.Deferred) {
                continue;
            }
            RecipientState state = outcome instanceof DeliveryOutcome.Failed ? RecipientState.FAILED
                    : RecipientState.DELIVERED;
            StoredOutcome stored = StoredOutcome.of(outcome, clock.instant())
                    .withType(destination == null ? null : destination.mailer().type());
            if (removalRecords) {
                message.states[index] = state;
                message.outcomes[index] = stored;
                attempt.unrecorded.add(index);
                continue;
            }
            try {
                spool.markRecipient(message.queueId(), index, state, stored.encode());
                message.states[index] = state;
                message.outcomes[index] = stored;
            } catch (IOException e) {
                // Still pending on disk, so it will be tried again: a possible duplicate, never a loss.
                String relay = outcome.remoteMta() == null ? (destination == null ? "none" : destination.toString())
                        : outcome.remoteMta();
                log.error("{}: cannot record the outcome for <{}>; it stays queued: {}", message.queueId(),
                        message.envelope.recipients().get(index).address(), e.toString());
                attempt.outcomes[index] = new DeliveryOutcome.Deferred("4.3.0", "outcome not recorded", relay,
                        FailureScope.MESSAGE);
            }
        }
    }

    /** After the last job of an attempt: complete, expire or reschedule the message. */
    private void finish(MessageAttempt attempt) {
        QueuedMessage message = attempt.message;
        String id = message.queueId();
        Instant next = null;
        try {
            Instant now = clock.instant();
            rememberDeferrals(attempt);
            if (message.hasPending() && !now.isBefore(message.arrival().plus(settings.lifetime()))) {
                expire(message);
            }
            if (message.hasPending()) {
                recordUnrecorded(attempt); // another recipient's record failed: this one is not removed after all
                next = reschedule(message, now);
            } else {
                complete(message, now);
            }
        } catch (QuarantineException e) {
            log.error("{}: spool file is corrupt and was quarantined: {}", id, e.getMessage());
            lastDeferrals.remove(id);
            untrack(id);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot finish the attempt, will retry: {}", id, e.toString());
            recordUnrecorded(attempt);
            next = clock.instant().plus(retry.delayAfter(1));
        } finally {
            release(id, next);
        }
    }

    /**
     * The message was not removed after all: writes the state record that {@link #record} left to the
     * removal, so the retry does not deliver that recipient again.
     */
    private void recordUnrecorded(MessageAttempt attempt) {
        QueuedMessage message = attempt.message;
        for (int index : attempt.unrecorded) {
            if (message.outcomes[index] == null) {
                continue;
            }
            try {
                spool.markRecipient(message.queueId(), index, message.states[index],
                        message.outcomes[index].encode());
                attempt.unrecorded.remove(Integer.valueOf(index));
            } catch (IOException e) {
                log.error("{}: cannot record the outcome for <{}>; it stays queued: {}", message.queueId(),
                        message.envelope.recipients().get(index).address(), e.toString());
            }
        }
    }

    /** Ends an attempt; {@code next} (or null) is when to try again. Leaves {@code active} first, so the scheduler can take it. */
    private void release(String id, Instant next) {
        active.remove(id);
        activeMessages.release();
        if (next != null && !stopping && !held.contains(id)) {
            schedule.add(new Due(id, next));
        }
    }

    private void rememberDeferrals(MessageAttempt attempt) {
        DeliveryOutcome[] outcomes = attempt.outcomes;
        String id = attempt.message.queueId();
        if (!attempt.message.hasPending()) {
            lastDeferrals.remove(id);
            return;
        }
        DeliveryOutcome[] last = lastDeferrals.computeIfAbsent(id, k -> new DeliveryOutcome[outcomes.length]);
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof DeliveryOutcome.Deferred) {
                last[i] = outcomes[i];
            }
        }
    }

    /** Timeout.queuereturn: every still-pending recipient fails with its last temporary error. */
    private void expire(QueuedMessage message) throws IOException {
        DeliveryOutcome[] last = lastDeferrals.getOrDefault(message.queueId(), new DeliveryOutcome[0]);
        Duration age = Duration.between(message.arrival(), clock.instant());
        for (int i = 0; i < message.states.length; i++) {
            if (message.states[i] != RecipientState.PENDING) {
                continue;
            }
            DeliveryOutcome previous = i < last.length ? last[i] : null;
            String status = previous != null ? previous.status() : "4.4.7";
            String diagnostic = "delivery time expired after " + age.toHours() + "h"
                    + (previous != null ? "; last error: " + previous.diagnostic() : "");
            StoredOutcome stored = new StoredOutcome("failed", status, previous == null ? null : previous.remoteMta(),
                    diagnostic, clock.instant());
            spool.markRecipient(message.queueId(), i, RecipientState.FAILED, stored.encode());
            message.states[i] = RecipientState.FAILED;
            message.outcomes[i] = stored;
            MailLog.recipient(message.queueId(), message.envelope.recipients().get(i).address().toString(),
                    MailLog.NO_RELAY, age, status, "expired", diagnostic);
            events.expired(message.queueId());
        }
    }

    /** Every recipient is final: queue the DSN the sender asked for, then remove the message. */
    void complete(QueuedMessage message, Instant now) throws IOException {
        Envelope envelope = message.envelope;
        List<RecipientReport> failures = new ArrayList<>();
        List<RecipientReport> successes = new ArrayList<>();
        for (int i = 0; i < message.states.length; i++) {
            Recipient r = envelope.recipients().get(i);
            StoredOutcome o = message.outcomes[i];
            if (message.states[i] == RecipientState.FAILED && wants(r, DsnNotify.FAILURE)) {
                failures.add(report(r, o, DsnAction.FAILED, null, now));
            } else if (o != null && "relayed".equals(o.action()) && r.dsnNotify().contains(DsnNotify.SUCCESS)) {
                successes.add(report(r, o, DsnAction.RELAYED, null, now));
            }
        }
        if (!failures.isEmpty() || !successes.isEmpty()) {
            if (envelope.sender().isNullSender()) {
                if (!failures.isEmpty()) {
                    log.warn("{}: undeliverable mail from the null sender, dropped without a bounce", message.queueId());
                    events.doubleBounce(message.queueId());
                }
            } else {
                List<RecipientReport> reports = new ArrayList<>(failures);
                reports.addAll(successes);
                Bouncer.Spooled dsn = bouncer.spool(message, reports, "D", Bouncer.returnFull(envelope,
                        !failures.isEmpty()));
                if (dsn != null) {
                    MailLog.notification(message.queueId(), failures.isEmpty() ? "success" : "failure",
                            dsn.envelope().queueId());
                    events.notificationQueued(message.queueId(), failures.isEmpty() ? "success" : "failure");
                    accepted(dsn.envelope(), dsn.contentLength());
                }
            }
        }
        spool.removeCompleted(message.queueId()); // every recipient is final here, some maybe only in memory
        lastDeferrals.remove(message.queueId());
        untrack(message.queueId());
        MailLog.removed(message.queueId());
        events.removed(message.queueId(), Duration.between(message.arrival(), now));
    }

    /** Persists the next attempt (and sends the one delay notice when it is time). */
    private Instant reschedule(QueuedMessage message, Instant now) throws IOException {
        DeliverySchedule current = message.schedule;
        int attempts = current.attempts() + 1;
        boolean notified = current.delayNotified();
        Envelope envelope = message.envelope;
        Instant expiry = message.arrival().plus(settings.lifetime());
        if (!notified && !settings.warnAfter().isZero() && !now.isBefore(message.arrival().plus(settings.warnAfter()))) {
            notified = true;
            if (!envelope.sender().isNullSender()) {
                DeliveryOutcome[] last = lastDeferrals.getOrDefault(message.queueId(), new DeliveryOutcome[0]);
                List<RecipientReport> delayed = new ArrayList<>();
                for (int i = 0; i < message.states.length; i++) {
                    Recipient r = envelope.recipients().get(i);
                    if (message.states[i] == RecipientState.PENDING && wants(r, DsnNotify.DELAY)) {
                        DeliveryOutcome o = i < last.length ? last[i] : null;
                        StoredOutcome s = o == null ? new StoredOutcome("delayed", "4.0.0", null, null, now)
                                : StoredOutcome.of(o, now);
                        delayed.add(report(r, s, DsnAction.DELAYED, expiry, now));
                    }
                }
                if (!delayed.isEmpty()) {
                    Bouncer.Spooled dsn = bouncer.spool(message, delayed, "W", Bouncer.returnFull(envelope, false));
                    if (dsn != null) {
                        MailLog.notification(message.queueId(), "delay", dsn.envelope().queueId());
                        events.notificationQueued(message.queueId(), "delay");
                        accepted(dsn.envelope(), dsn.contentLength());
                    }
                }
            }
        }
        Instant next = now.plus(retry.delayAfter(attempts));
        if (next.isAfter(expiry)) {
            next = expiry.isAfter(now) ? expiry : now.plusSeconds(1); // bounce on time, not up to max-backoff late
        }
        DeliverySchedule updated = new DeliverySchedule(attempts, next, notified);
        spool.recordSchedule(message.queueId(), updated);
        message.schedule = updated;
        return next;
    }

    /**
     * Whether the sender wants this kind of notice: NOTIFY=NEVER wants none; without NOTIFY,
     * failures and delays are reported (RFC 3461 §4.1, and sendmail's default).
     */
    private static boolean wants(Recipient r, DsnNotify kind) {
        Set<DsnNotify> notify = r.dsnNotify();
        return notify.isEmpty() ? kind != DsnNotify.SUCCESS : notify.contains(kind);
    }

    private RecipientReport report(Recipient r, StoredOutcome o, DsnAction action, Instant retryUntil,
            Instant now) {
        String status = o != null && o.status() != null ? o.status() : action == DsnAction.FAILED ? "5.0.0" : "2.0.0";
        return new RecipientReport(r.address(), Xtext.decode(r.orcpt()), action, status, o == null ? null : o.remoteMta(),
                o == null ? null : o.diagnostic(), o != null && o.at() != null ? o.at() : now, retryUntil,
                mailerType(r, o));
    }

    /**
     * The DSN types ({@code T=}) of the mailer behind an outcome: as stored with it, else (a delay or
     * an expiry, which store none) the mailer the recipient routes to now.
     */
    private MailerType mailerType(Recipient r, StoredOutcome o) {
        try {
            if (o != null && o.type() != null) {
                return MailerType.parse(o.type());
            }
            String domain = r.address().domainLowerCase();
            RuntimeConfiguration config = runtime.get();
            if (domain != null && config.router().route(domain) instanceof Route.Relay relay) {
                return config.mailers().find(relay.mailer()).map(MailerDefinition::type).orElse(MailerType.DEFAULT);
            }
        } catch (RuntimeException e) {
            log.debug("no mailer type for <{}>: {}", r.address(), e.toString());
        }
        return MailerType.DEFAULT;
    }

    // --- The operator's hand on the queue: QueueControl (the /actuator/queue endpoint) ---

    /** Messages on hold: never attempted until released. */
    public int heldCount() {
        return held.size();
    }

    boolean isActive(String queueId) {
        return active.contains(queueId);
    }

    boolean isHeld(String queueId) {
        return held.contains(queueId);
    }

    /**
     * Takes a message for an operator's change, the way an attempt does, so no attempt starts
     * meanwhile; false when an attempt (or another change) has it. Give it back with {@link #unclaim}.
     */
    boolean claim(String queueId) {
        return active.add(queueId);
    }

    /**
     * Gives a claimed message back; {@code next} (or null) is when to attempt it, unless it is on
     * hold. Replaces the message's place in the schedule, so it is never there twice.
     */
    void unclaim(String queueId, Instant next) {
        if (next != null) {
            schedule.removeIf(d -> d.queueId.equals(queueId));
        }
        active.remove(queueId);
        if (next != null && !stopping && !held.contains(queueId)) {
            schedule.add(new Due(queueId, next));
        }
    }

    /**
     * Puts a message on hold (its hold record is already in the spool): it leaves the schedule, and
     * an attempt in progress is not followed by another.
     */
    void hold(String queueId) {
        held.add(queueId);
        schedule.removeIf(d -> d.queueId.equals(queueId));
    }

    /** Takes a message off hold (its release is already in the spool); the caller schedules it. */
    void unhold(String queueId) {
        held.remove(queueId);
    }

    /** When each waiting message is due, by queue id. */
    Map<String, Instant> dueTimes() {
        Map<String, Instant> due = new java.util.HashMap<>();
        for (Due d : schedule) {
            due.merge(d.queueId, d.due, (a, b) -> a.isBefore(b) ? a : b);
        }
        return due;
    }

    /** A flush: the waiting messages {@code which} accepts become due now. Returns how many matched. */
    int expedite(java.util.function.Predicate<String> which) {
        Instant now = clock.instant();
        int matched = 0;
        for (Due d : schedule) { // a snapshot: changing the queue meanwhile is fine
            if (!which.test(d.queueId)) {
                continue;
            }
            matched++;
            if (d.due.isAfter(now) && schedule.remove(d)) {
                schedule.add(new Due(d.queueId, now));
            }
        }
        return matched;
    }

    /** Forgets a message the operator deleted (it is gone from the spool); the caller holds its claim. */
    void forget(String queueId) {
        schedule.removeIf(d -> d.queueId.equals(queueId));
        held.remove(queueId);
        lastDeferrals.remove(queueId);
        untrack(queueId);
    }

    /** This process's last temporary failure per recipient of a message (null entries where none), or null. */
    DeliveryOutcome[] lastDeferrals(String queueId) {
        DeliveryOutcome[] last = lastDeferrals.get(queueId);
        return last == null ? null : last.clone();
    }

    /** Where a recipient in this domain goes now (as an attempt would route it); null for error and discard routes. */
    Destination destinationOf(String domain) {
        if (domain == null) {
            return null;
        }
        RuntimeConfiguration config = runtime.get();
        return config.router().route(domain) instanceof Route.Relay relay
                ? Destination.of(config.mailers().get(relay.mailer()), relay, domain) : null;
    }

    /** How long a message may stay in the queue (postern.queue.lifetime). */
    Duration lifetime() {
        return settings.lifetime();
    }

    private void sweep() {
        long maxIdle = settings.connectionCacheTime().toNanos();
        for (Destination d : List.copyOf(destinations.keySet())) {
            destinations.computeIfPresent(d, (k, q) -> q.sweep(maxIdle) ? null : q);
        }
    }

    /** A message in the queue, ordered by arrival (then id, which is unique). */
    private record InQueue(Instant arrival, String queueId) implements Comparable<InQueue> {
        @Override
        public int compareTo(InQueue o) {
            int c = arrival.compareTo(o.arrival);
            return c != 0 ? c : queueId.compareTo(o.queueId);
        }
    }

    /** A message waiting in the schedule until {@code due}. */
    private final class Due implements Delayed {
        final String queueId;
        final Instant due;

        Due(String queueId, Instant due) {
            this.queueId = queueId;
            this.due = due;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            return due.compareTo(((Due) o).due);
        }
    }
}
