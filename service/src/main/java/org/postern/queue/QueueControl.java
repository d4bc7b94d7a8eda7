package org.postern.queue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.postern.maillog.MailLog;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.Envelope;
import org.postern.smtp.Recipient;
import org.postern.spool.DeliverySchedule;
import org.postern.spool.QuarantineException;
import org.postern.spool.RecipientState;
import org.postern.spool.Spool;
import org.postern.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's hand on the queue — Postern's {@code mailq}, {@code postqueue -f} and
 * {@code postsuper}: lists and shows messages, flushes waiting ones, holds and releases, deletes,
 * and returns a message to its sender. The {@code /actuator/queue} endpoint is a thin HTTP face
 * over this class; see {@code docs/queue-endpoint.md}.
 *
 * <p>The spool is the truth for what a message is; the queue manager's memory for what it is doing
 * (active, waiting and when, held). A change takes the message the way an attempt does
 * ({@link QueueManager#claim}), so no attempt runs while a message is deleted or bounced; a message
 * whose attempt is running is refused with {@link Refused.Reason#BUSY} instead (hold and release
 * are accepted at any time and take effect when the attempt ends). Every change is written to the
 * spool before it is acted on, and logged to the mail log.
 */
public final class QueueControl {
    private static final Logger log = LoggerFactory.getLogger(QueueControl.class);

    /** Messages in one page when the caller asks for no particular number. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page: a listing reads each message shown from the spool. */
    public static final int MAX_LIMIT = 1000;
    /**
     * The status of a recipient returned to its sender by the operator: RFC 3463 {@code 5.0.0},
     * "other undefined status" — none of the defined subjects (address, mailbox, mail system,
     * network, protocol, content, security) describes an administrator's decision, and a
     * permanent class is what makes the DSN say "failed". Exim's "cancelled by administrator"
     * bounces carry no better code either.
     */
    public static final String RETURNED_STATUS = "5.0.0";
    /** The diagnostic of a recipient returned by the operator, as the DSN and the mail log show it. */
    public static final String RETURNED_REASON = "message returned to sender by the postmaster";

    /** Where a message stands, as listed. */
    public enum State {
        /** An attempt is in progress. */
        ACTIVE,
        /** Waiting for its next attempt (Postfix's "deferred" and "incoming" queues). */
        WAITING,
        /** On hold: never attempted, never expired, until released. */
        HELD;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code active}, {@code waiting} (or {@code deferred}), {@code held} (or {@code hold}), any case. */
        public static State parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "active" -> ACTIVE;
                case "waiting", "deferred" -> WAITING;
                case "held", "hold" -> HELD;
                default -> throw new IllegalArgumentException("unknown state '" + text
                        + "' (active, waiting, deferred, held)");
            };
        }
    }

    /** A request the queue cannot honour, with why. */
    public static final class Refused extends Exception {
        /** Why: the HTTP face maps these to 404, 409 and 400. */
        public enum Reason {
            NO_SUCH_MESSAGE, BUSY, BAD_REQUEST
        }

        private final Reason reason;

        Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final QueueManager queue;
    private final Spool spool;
    private final Clock clock;
    /** One change at a time: operator actions are rare, and this keeps hold, release and delete of one message apart. */
    private final ReentrantLock changes = new ReentrantLock();

    public QueueControl(QueueManager queue, Spool spool, Clock clock) {
        this.queue = queue;
        this.spool = spool;
        this.clock = clock;
    }

    // --- reading ---

    /**
     * One page of the queue, in arrival order (queue id order).
     *
     * @param state       only messages in this state, or null for all
     * @param destination only messages with a pending recipient for this destination (see
     *                    {@link #flush(String)}), or null for all; with one, every message in the
     *                    queue is read from the spool to count the matches
     * @param offset      how many matching messages to skip
     * @param limit       the page size, 1 or more; capped at {@link #MAX_LIMIT}
     */
    public QueueListing list(State state, String destination, int offset, int limit) throws IOException, Refused {
        if (offset < 0 || limit < 1) {
            throw new Refused(Refused.Reason.BAD_REQUEST, "offset must be 0 or more and limit 1 or more");
        }
        int pageSize = Math.min(limit, MAX_LIMIT);
        DestinationFilter filter = destination == null ? null : DestinationFilter.of(destination);
        Map<String, Instant> due = queue.dueTimes();
        List<QueueListing.Entry> page = new ArrayList<>();
        int total = 0;
        for (String id : spool.queueIds()) {
            State s = stateOf(id);
            if (state != null && s != state) {
                continue;
            }
            SpooledMessage m = null;
            if (filter != null) {
                m = read(id);
                if (m == null || !filter.matches(m, queue)) {
                    continue;
                }
            }
            if (total >= offset && page.size() < pageSize) {
                if (m == null && (m = read(id)) == null) {
                    continue; // left the queue since it was listed
                }
                page.add(entry(m, s, due));
            }
            total++;
        }
        return new QueueListing(offset, pageSize, total, page);
    }

    /** One message; empty when there is no such message in the queue. */
    public Optional<MessageDetail> show(String queueId) throws IOException {
        SpooledMessage m = read(queueId);
        if (m == null) {
            return Optional.empty();
        }
        State s = stateOf(queueId);
        Envelope e = m.envelope();
        DeliveryOutcome[] last = queue.lastDeferrals(queueId);
        List<MessageDetail.Recipient> recipients = new ArrayList<>();
        for (int i = 0; i < e.recipients().size(); i++) {
            Recipient r = e.recipients().get(i);
            RecipientState rs = m.states().get(i);
            List<String> notify = r.dsnNotify().stream().sorted().map(DsnNotify::name).toList();
            String state = rs.name().toLowerCase(Locale.ROOT);
            if (rs == RecipientState.PENDING) {
                DeliveryOutcome d = last != null && i < last.length ? last[i] : null;
                recipients.add(new MessageDetail.Recipient(r.address().toString(), notify, r.orcpt(), state,
                        d == null ? null : "delayed", d == null ? null : d.status(), d == null ? null : d.remoteMta(),
                        d == null ? null : d.diagnostic(), null));
            } else {
                StoredOutcome o = StoredOutcome.decode(m.details().get(i));
                recipients.add(new MessageDetail.Recipient(r.address().toString(), notify, r.orcpt(), state,
                        o == null ? null : o.action(), o == null ? null : o.status(), o == null ? null : o.remoteMta(),
                        o == null ? null : o.diagnostic(), o == null ? null : o.at()));
            }
        }
        MessageDetail.Origin origin = new MessageDetail.Origin(e.listener(), e.clientAddress(), e.clientName(),
                e.heloName(), e.protocol(), e.authenticatedAs());
        return Optional.of(new MessageDetail(queueId, s.keyword(), m.held() || queue.isHeld(queueId), m.heldSince(),
                e.arrival(), e.arrival().plus(queue.lifetime()), e.sender().toString(), m.contentLength(),
                e.body().keyword(), e.smtpUtf8(), e.ret() == null ? null : e.ret().name(), e.envId(), origin,
                m.schedule().attempts(), s == State.WAITING ? nextAttempt(queueId, m, queue.dueTimes()) : null,
                m.schedule().delayNotified(), recipients));
    }

    // --- changing ---

    /**
     * Makes waiting messages due now (sendmail {@code -q}, Postfix {@code postqueue -f}), or only those
     * with a pending recipient for one destination (sendmail {@code -qR}, Postfix {@code postqueue -s}).
     * Held and active messages are left alone.
     *
     * @param destination null for all; else a recipient domain ({@code example.net}), a next hop host
     *                    as routes name it ({@code smtp.example.net}, {@code [192.0.2.1]}), or a
     *                    destination as the logs name it ({@code relay:[192.0.2.1]:587}); case-insensitive
     */
    public QueueAction flush(String destination) throws IOException {
        int n;
        if (destination == null) {
            n = queue.expedite(id -> true);
        } else {
            DestinationFilter filter = DestinationFilter.of(destination);
            Set<String> matching = new HashSet<>();
            for (String id : queue.dueTimes().keySet()) {
                SpooledMessage m = read(id);
                if (m != null && filter.matches(m, queue)) {
                    matching.add(id);
                }
            }
            n = queue.expedite(matching::contains);
        }
        log.info("queue flush{}: {} waiting messages due now", destination == null ? "" : " for " + destination, n);
        return new QueueAction("flush", null, destination, n, 0, n + " waiting messages scheduled for delivery now");
    }

    /** Makes one waiting message due now (Postfix {@code postqueue -i}). */
    public QueueAction flushMessage(String queueId) throws IOException, Refused {
        SpooledMessage m = require(queueId);
        State s = stateOf(queueId);
        if (s != State.WAITING) {
            return new QueueAction("flush", queueId, null, 0, 0, s == State.HELD
                    ? "on hold; release it to deliver it" : "an attempt is in progress");
        }
        int n = queue.expedite(queueId::equals);
        log.info("queue flush of {} (from=<{}>)", queueId, m.envelope().sender());
        return new QueueAction("flush", queueId, null, n, 0, n == 1 ? "scheduled for delivery now"
                : "not waiting");
    }

    /**
     * Puts a message on hold (Postfix {@code postsuper -h}): it is not attempted, nor expired, nor
     * notified about, until released. The hold is in the spool, so it survives a restart. An attempt
     * already in progress ends as usual (its deliveries count), but is not followed by another.
     */
    public QueueAction hold(String queueId) throws IOException, Refused {
        changes.lock();
        try {
            SpooledMessage m = require(queueId);
            if (m.held()) {
                queue.hold(queueId);
                return new QueueAction("hold", queueId, null, 0, 0, "already on hold since " + m.heldSince());
            }
            boolean claimed = queue.claim(queueId);
            boolean gone = false;
            try {
                spool.recordHold(queueId, true, clock.instant());
                queue.hold(queueId);
                if (!claimed && read(queueId) == null) {
                    // Its running attempt completed it meanwhile: nothing left to hold.
                    queue.unhold(queueId);
                    gone = true;
                }
            } catch (NoSuchFileException | QuarantineException e) {
                gone = true;
            } finally {
                if (claimed) {
                    queue.unclaim(queueId, gone ? null : clock.instant()); // scheduled only if the hold failed
                }
            }
            if (gone) {
                throw noSuchMessage(queueId);
            }
            MailLog.message(queueId, m.envelope().sender().toString(), "held", "placed on hold by the postmaster");
            return new QueueAction("hold", queueId, null, 1, pending(m), "placed on hold");
        } finally {
            changes.unlock();
        }
    }

    /**
     * Releases a held message (Postfix {@code postsuper -H}) and schedules it at once. Its lifetime
     * counts from its arrival, as in Postfix: a message held past its lifetime gets one attempt and
     * its pending recipients are then returned to the sender.
     */
    public QueueAction release(String queueId) throws IOException, Refused {
        changes.lock();
        try {
            SpooledMessage m = require(queueId);
            if (!m.held() && !queue.isHeld(queueId)) {
                return new QueueAction("release", queueId, null, 0, 0, "not on hold");
            }
            try {
                spool.recordHold(queueId, false, clock.instant());
            } catch (NoSuchFileException e) {
                throw noSuchMessage(queueId);
            }
            queue.unhold(queueId);
            // Unheld first, then claimed: if an attempt is running, its end sees the message no longer
            // held and schedules it; if not, the claim succeeds and schedules it now.
            if (queue.claim(queueId)) {
                try {
                    dueNow(queueId);
                } finally {
                    queue.unclaim(queueId, clock.instant());
                }
            }
            MailLog.message(queueId, m.envelope().sender().toString(), "released",
                    "released from hold by the postmaster");
            return new QueueAction("release", queueId, null, 1, pending(m), "released; scheduled for delivery now");
        } finally {
            changes.unlock();
        }
    }

    /**
     * Deletes a message (Postfix {@code postsuper -d}): its spool file is removed; no DSN is sent to
     * anyone; the mail log says so. Refused while an attempt is in progress.
     */
    public QueueAction delete(String queueId) throws IOException, Refused {
        changes.lock();
        try {
            require(queueId); // a 404 before claiming: only real messages are ever claimed
            claim(queueId);
            Instant next = clock.instant(); // if the delete fails, the message goes on
            try {
                SpooledMessage m = require(queueId); // again: an attempt may have changed it before the claim
                try {
                    spool.delete(queueId);
                } catch (NoSuchFileException e) {
                    throw noSuchMessage(queueId);
                }
                next = null;
                queue.forget(queueId);
                int pending = pending(m);
                MailLog.message(queueId, m.envelope().sender().toString(), "deleted", "deleted by the postmaster; "
                        + pending + " recipients not delivered, no notification sent");
                return new QueueAction("delete", queueId, null, 1, pending, "deleted; no notification sent");
            } catch (Refused e) {
                next = null;
                throw e;
            } finally {
                queue.unclaim(queueId, next);
            }
        } finally {
            changes.unlock();
        }
    }

    /**
     * Returns a message to its sender now: every pending recipient fails with
     * {@value #RETURNED_STATUS} ("{@value #RETURNED_REASON}"), durably, and the message then
     * completes as any other — the sender gets the RFC 3464 failure DSN (as NOTIFY allows; mail from
     * the null sender is dropped) and the message leaves the queue. A held message is released for
     * that. Refused while an attempt is in progress.
     */
    public QueueAction bounce(String queueId) throws IOException, Refused {
        changes.lock();
        try {
            require(queueId);
            claim(queueId);
            // Due now: the attempt finds nothing pending, queues the DSN and removes the message.
            Instant next = clock.instant();
            try {
                SpooledMessage m = require(queueId); // again: an attempt may have changed it before the claim
                Envelope e = m.envelope();
                Instant now = clock.instant();
                StoredOutcome returned = new StoredOutcome("failed", RETURNED_STATUS, null, RETURNED_REASON, now);
                int n = 0;
                for (int i = 0; i < m.states().size(); i++) {
                    if (m.states().get(i) != RecipientState.PENDING) {
                        continue;
                    }
                    spool.markRecipient(queueId, i, RecipientState.FAILED, returned.encode());
                    MailLog.recipient(queueId, e.recipients().get(i).address().toString(), MailLog.NO_RELAY,
                            Duration.between(e.arrival(), now), RETURNED_STATUS, "bounced", RETURNED_REASON);
                    n++;
                }
                if (m.held() || queue.isHeld(queueId)) {
                    spool.recordHold(queueId, false, now);
                    queue.unhold(queueId);
                }
                dueNow(queueId);
                return new QueueAction("bounce", queueId, null, 1, n, n + " recipients returned to the sender");
            } catch (NoSuchFileException | QuarantineException e) {
                next = null;
                throw noSuchMessage(queueId);
            } catch (Refused e) {
                next = null;
                throw e;
            } finally {
                queue.unclaim(queueId, next);
            }
        } finally {
            changes.unlock();
        }
    }

    // --- helpers ---

    private void claim(String queueId) throws Refused {
        if (!queue.claim(queueId)) {
            throw new Refused(Refused.Reason.BUSY, "an attempt to deliver " + queueId
                    + " is in progress; try again when it ends (hold the message first to keep it from starting again)");
        }
    }

    /**
     * Persists "due now" (attempts and delay notice unchanged), so that after a crash the message is
     * tried at once, not at the time its last attempt set. Only under a claim: no attempt writes
     * its own schedule meanwhile.
     */
    private void dueNow(String queueId) throws IOException {
        DeliverySchedule s = spool.read(queueId).schedule(); // as of now: an attempt may have ended since m was read
        spool.recordSchedule(queueId, new DeliverySchedule(s.attempts(), clock.instant(), s.delayNotified()));
    }

    private State stateOf(String queueId) {
        return queue.isActive(queueId) ? State.ACTIVE : queue.isHeld(queueId) ? State.HELD : State.WAITING;
    }

    private QueueListing.Entry entry(SpooledMessage m, State s, Map<String, Instant> due) {
        String id = m.queueId();
        String lastError = null;
        DeliveryOutcome[] last = queue.lastDeferrals(id);
        if (last != null) {
            for (int i = 0; i < last.length && i < m.states().size(); i++) {
                if (last[i] != null && m.states().get(i) == RecipientState.PENDING) {
                    lastError = last[i].diagnostic() != null ? last[i].diagnostic() : last[i].status();
                }
            }
        }
        return new QueueListing.Entry(id, s.keyword(), m.envelope().arrival(), m.envelope().sender().toString(),
                m.contentLength(), m.states().size(), pending(m), m.schedule().attempts(),
                s == State.WAITING ? nextAttempt(id, m, due) : null, lastError);
    }

    /** The in-memory due time (a flush moves it) or else the persisted one. */
    private static Instant nextAttempt(String id, SpooledMessage m, Map<String, Instant> due) {
        Instant t = due.get(id);
        return t != null ? t : m.schedule().nextAttempt();
    }

    private static int pending(SpooledMessage m) {
        return (int) m.states().stream().filter(s -> s == RecipientState.PENDING).count();
    }

    private SpooledMessage require(String queueId) throws IOException, Refused {
        SpooledMessage m = read(queueId);
        if (m == null) {
            throw noSuchMessage(queueId);
        }
        return m;
    }

    private static Refused noSuchMessage(String queueId) {
        return new Refused(Refused.Reason.NO_SUCH_MESSAGE, "no message " + queueId + " in the queue");
    }

    /** The message, or null when it is not (or no longer) in the spool, or the id is not a queue id. */
    private SpooledMessage read(String queueId) throws IOException {
        try {
            return spool.read(queueId);
        } catch (NoSuchFileException | QuarantineException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Which messages a destination names: by recipient domain, next hop host, or destination name. */
    private record DestinationFilter(String raw, String host) {

        static DestinationFilter of(String text) {
            String raw = text.strip().toLowerCase(Locale.ROOT);
            String host = raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
            return new DestinationFilter(raw, host);
        }

        /** Whether a pending recipient goes there (as routed now). */
        boolean matches(SpooledMessage m, QueueManager queue) {
            List<Recipient> recipients = m.envelope().recipients();
            for (int i = 0; i < recipients.size(); i++) {
                if (m.states().get(i) != RecipientState.PENDING) {
                    continue;
                }
                String domain = recipients.get(i).address().domainLowerCase();
                if (host.equals(domain)) {
                    return true;
                }
                Destination d = queue.destinationOf(domain);
                if (d != null && (d.route().host() != null && host.equals(d.route().host().toLowerCase(Locale.ROOT))
                        || raw.equals(d.toString().toLowerCase(Locale.ROOT)))) {
                    return true;
                }
            }
            return false;
        }
    }
}
