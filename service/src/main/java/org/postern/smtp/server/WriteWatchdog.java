package org.postern.smtp.server;

import java.time.Duration;
import java.util.Set;

/**
 * Cuts off clients that stopped reading: a session's replies go out with blocking socket writes,
 * which have no timeout, so a client that pipelines commands and never reads the replies (its
 * receive window full) would hold its session, and its slot under {@code postern.limits.max-sessions},
 * for ever. One thread looks at every session a few times per idle timeout and closes those whose
 * write has been blocked for longer than it ({@link SmtpSession#closeIfWriteStalled}).
 */
final class WriteWatchdog {
    private final Set<SmtpSession> sessions;
    private final long tickMillis;
    private volatile Thread thread;

    WriteWatchdog(Set<SmtpSession> sessions, Duration idleTimeout) {
        this.sessions = sessions;
        this.tickMillis = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
    }

    void start() {
        if (thread == null) {
            // Assigned before it runs: watch() loops while it is the current thread, and a thread
            // started first could look before the assignment, see null and end at once.
            Thread t = Thread.ofPlatform().daemon().name("smtp-write-watchdog").unstarted(this::watch);
            thread = t;
            t.start();
        }
    }

    /** Whether the watching thread runs (for tests). */
    boolean isWatching() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private void watch() {
        Thread self = Thread.currentThread();
        while (thread == self) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (SmtpSession session : sessions) {
                session.closeIfWriteStalled(now);
            }
        }
    }
}
