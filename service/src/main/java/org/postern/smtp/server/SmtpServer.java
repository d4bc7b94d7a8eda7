package org.postern.smtp.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.config.DaemonModifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server: one {@link DaemonListener} per configured daemon port. Start binds every
 * listener (an optional one, modifier O, may fail to bind); stop closes the listeners, lets running
 * sessions finish for a grace period, then closes what is left. A session cut short never got its
 * 250, so its client still owns the message: nothing accepted is lost.
 */
public final class SmtpServer {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final List<DaemonListener> listeners = new ArrayList<>();
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public SmtpServer(List<DaemonPort> ports, ServerContext context) {
        for (DaemonPort port : ports) {
            if (port.has(DaemonModifiers.IMPLICIT_TLS) && context.tls() == null) {
                throw new IllegalArgumentException("daemon " + port.name()
                        + " has modifier s (SMTPS) but TLS is disabled (postern.tls.enabled=false)");
            }
            listeners.add(new DaemonListener(port, context, sessions::add, sessions::remove));
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
        bound.forEach(DaemonListener::start);
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

    public void stop(Duration grace) {
        running = false;
        listeners.forEach(DaemonListener::stop);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!sessions.isEmpty()) {
            log.info("closing {} SMTP sessions still open after {}", sessions.size(), grace);
            sessions.forEach(SmtpSession::close);
        }
    }
}
