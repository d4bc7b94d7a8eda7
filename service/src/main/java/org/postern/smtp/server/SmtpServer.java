package org.postern.smtp.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postern.config.DaemonModifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server: one {@link DaemonListener} per configured daemon port. Start binds every
 * listener (an optional one, modifier O, may fail to bind). {@link #drain} stops taking new mail
 * while the listeners stay open: new sessions get 421 4.3.2, a session between transactions gets it
 * at once, a transaction in progress may finish. Stop drains, lets running sessions finish for a
 * grace period, then closes the listeners and what is left. A session cut short never got its 250,
 * so its client still owns the message: nothing accepted is lost.
 */
public final class SmtpServer {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final List<DaemonListener> listeners = new ArrayList<>();
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    /** Closes sessions whose client stopped reading replies (a blocking write has no timeout). */
    private final WriteWatchdog writeWatchdog;
    private volatile boolean running;
    private final AtomicBoolean drainStarted = new AtomicBoolean();
    private volatile boolean draining;
    /** System.nanoTime() by which a drain wants the sessions gone; meaningful once draining. */
    private volatile long drainDeadlineNanos;

    public SmtpServer(List<DaemonPort> ports, ServerContext context) {
        this(ports, context, 0);
    }

    /** @param connectionRateThrottle connections each listener accepts per second at most, 0 for no throttle */
    public SmtpServer(List<DaemonPort> ports, ServerContext context, int connectionRateThrottle) {
        this.writeWatchdog = new WriteWatchdog(sessions, context.settings().idleTimeout());
        for (DaemonPort port : ports) {
            if (port.has(DaemonModifiers.IMPLICIT_TLS) && context.tls() == null) {
                throw new IllegalArgumentException("daemon " + port.name()
                        + " has modifier s (SMTPS) but TLS is disabled (postern.tls.enabled=false)");
            }
            listeners.add(new DaemonListener(port, context, sessions::add, sessions::remove, this::isDraining,
                    connectionRateThrottle));
        }
    }

    public void start() throws IOException {
        List<DaemonListener> bound = new ArrayList<>();
        for (DaemonListener listener : listeners) {
            try {
                listener.bind();
                bound.add(listener);
            } catch (IOException e) {
                if (!listener.port().has(DaemonModifiers.OPTIONAL)) {
                    bound.forEach(DaemonListener::stop);
                    throw e;
                }
                log.warn("{}; starting without it (modifier O)", e.getMessage());
            }
        }
        draining = false; // started again after a stop (a paused test context): taking mail again
        drainStarted.set(false);
        bound.forEach(DaemonListener::start);
        writeWatchdog.start();
        running = true;
    }

    public boolean isRunning() {
        return running;
    }

    /** The bound port of a listener, e.g. when configured with port 0; -1 if it is not listening. */
    public int localPort(String daemonName) {
        return listeners.stream().filter(l -> l.port().name().equals(daemonName)).findFirst()
                .map(DaemonListener::localPort).orElse(-1);
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** Open sessions on one listener (daemon port), for the per-listener gauge. */
    public int activeSessions(String daemonName) {
        int n = 0;
        for (SmtpSession s : sessions) {
            if (s.daemonPort.name().equals(daemonName)) {
                n++;
            }
        }
        return n;
    }

    /** The configured listeners' names, in configuration order. */
    public List<String> daemonNames() {
        return listeners.stream().map(l -> l.port().name()).toList();
    }

    /**
     * Stops taking new mail; the listeners stay open so that a client that still connects hears why
     * (421 4.3.2, RFC 3463 "system not accepting network messages") instead of a refused connection.
     * A session waiting for a command outside a transaction gets the 421 at once and is closed; one
     * in a transaction finishes it (its message is committed and gets its 250) and then gets the 421.
     * Idempotent: a later call keeps the first deadline.
     *
     * @param within how long {@link #stop} may wait for the open sessions, at most
     */
    public void drain(Duration within) {
        if (!drainStarted.compareAndSet(false, true)) {
            return;
        }
        drainDeadlineNanos = System.nanoTime() + within.toNanos();
        draining = true;
        // After the flag: a session that checks it before blocking sees it; one already blocked is woken here.
        sessions.forEach(SmtpSession::wakeIfIdle);
        log.info("draining: new SMTP sessions get 421 4.3.2; {} open sessions may finish their transactions",
                sessions.size());
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Drains (if not draining yet), waits for the open sessions for up to {@code grace} (or until the
     * drain's deadline, if sooner), then closes the listeners and any session still open.
     */
    public void stop(Duration grace) {
        running = false;
        drain(grace);
        long now = System.nanoTime();
        long deadline = drainDeadlineNanos - now < grace.toNanos() ? drainDeadlineNanos : now + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        listeners.forEach(DaemonListener::stop);
        writeWatchdog.stop();
        if (!sessions.isEmpty()) {
            log.info("closing {} SMTP sessions still open at the end of the grace period", sessions.size());
            sessions.forEach(SmtpSession::close);
        }
    }
}
