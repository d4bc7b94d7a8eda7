package org.postern.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.postern.policy.SessionLimiter.Admission;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket (one DaemonPortOptions entry). Accepts on a platform thread and runs each
 * admitted session on a virtual thread; over a limit, or while the server drains, the client gets
 * 421 and the socket closes.
 */
final class DaemonListener {
    private static final Logger log = LoggerFactory.getLogger(DaemonListener.class);

    private final DaemonPort port;
    private final ServerContext context;
    private final Consumer<SmtpSession> register;
    private final Consumer<SmtpSession> unregister;
    private final Semaphore children;
    private final BooleanSupplier draining;
    /** sendmail's ConnectionRateThrottle for this listener; null when off. */
    private final ConnectionRateThrottle throttle;
    private long lastThrottleLog;
    private ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean running;

    DaemonListener(DaemonPort port, ServerContext context, Consumer<SmtpSession> register,
            Consumer<SmtpSession> unregister, BooleanSupplier draining) {
        this(port, context, register, unregister, draining, 0);
    }

    /** @param connectionRateThrottle connections accepted per second at most, 0 for no throttle */
    DaemonListener(DaemonPort port, ServerContext context, Consumer<SmtpSession> register,
            Consumer<SmtpSession> unregister, BooleanSupplier draining, int connectionRateThrottle) {
        this.throttle = connectionRateThrottle > 0 ? new ConnectionRateThrottle(connectionRateThrottle) : null;
        this.port = port;
        this.draining = draining;
        this.context = context;
        this.register = register;
        this.unregister = unregister;
        this.children = port.children() > 0 ? new Semaphore(port.children()) : null;
    }

    DaemonPort port() {
        return port;
    }

    void bind() throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            if (port.rcvBufSize() > 0) {
                socket.setReceiveBufferSize(port.rcvBufSize()); // before bind, so the window scale fits
            }
            socket.bind(new InetSocketAddress(port.address(), port.port()), port.backlog());
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + port.address().getHostAddress() + " port " + port.port()
                    + " (daemon " + port.name() + "): " + e.getMessage(), e);
        }
        serverSocket = socket;
    }

    int localPort() {
        return serverSocket == null ? -1 : serverSocket.getLocalPort();
    }

    void start() {
        running = true;
        acceptor = Thread.ofPlatform().daemon().name("smtp-accept-" + port.name()).start(this::acceptLoop);
        log.info("listening for SMTP on {} port {} (daemon {}, modifiers '{}')",
                port.address().getHostAddress(), localPort(), port.name(), port.flags());
    }

    void stop() {
        running = false;
        try {
            if (serverSocket != null) {
                serverSocket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (acceptor != null) {
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (running) {
            Socket socket;
            if (throttle != null && !awaitThrottle()) {
                return;
            }
            try {
                socket = serverSocket.accept();
                if (throttle != null) {
                    throttle.accepted();
                }
            } catch (SocketException e) {
                if (running) {
                    log.error("daemon {}: accept failed", port.name(), e);
                }
                return;
            } catch (IOException e) {
                log.warn("daemon {}: accept failed: {}", port.name(), e.toString());
                continue;
            }
            admit(socket);
        }
    }

    /** Waits for the connection rate throttle; false when interrupted (stopping). */
    private boolean awaitThrottle() {
        try {
            long waited = throttle.awaitTurn();
            long now = System.nanoTime();
            if (waited > 0 && (lastThrottleLog == 0 || now - lastThrottleLog > 60_000_000_000L)) {
                lastThrottleLog = now;
                log.info("deferring connections on daemon {}: {} per second (postern.limits.connection-rate-throttle)",
                        port.name(), throttle.perSecond());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void admit(Socket socket) {
        InetAddress client = socket.getInetAddress();
        try {
            socket.setTcpNoDelay(true); // replies are small and latency-bound
            if (port.sndBufSize() > 0) {
                socket.setSendBufferSize(port.sndBufSize());
            }
        } catch (SocketException e) {
            closeQuietly(socket);
            return;
        }
        if (draining.getAsBoolean()) {
            refuse(socket, Replies.SHUTTING_DOWN);
            return;
        }
        if (children != null && !children.tryAcquire()) {
            refuse(socket, Replies.TOO_MANY_SESSIONS);
            return;
        }
        Admission admission = context.limiter().tryAdmit(client);
        if (admission != Admission.ADMITTED) {
            if (children != null) {
                children.release();
            }
            refuse(socket, admission == Admission.TOO_MANY_FROM_CLIENT
                    ? Replies.TOO_MANY_SESSIONS_FROM_CLIENT : Replies.TOO_MANY_SESSIONS);
            return;
        }
        SmtpSession[] holder = new SmtpSession[1];
        SmtpSession session = new SmtpSession(socket, port, context, draining, () -> {
            context.limiter().release(client);
            if (children != null) {
                children.release();
            }
            unregister.accept(holder[0]);
        });
        holder[0] = session;
        register.accept(session);
        Thread.ofVirtual().name("smtp-" + port.name() + "-" + client.getHostAddress()).start(session);
    }

    /** Over a limit: say why, without reading anything, and close. */
    private void refuse(Socket socket, SmtpReply reply) {
        log.info("daemon {}: refused [{}]: {}", port.name(), socket.getInetAddress().getHostAddress(), reply);
        Thread.ofVirtual().start(() -> {
            try (socket) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                // With its enhanced code, as Postfix's postscreen does ("421 4.3.2 All server
                // ports are busy"): there is no EHLO to negotiate it, and clients log the text.
                out.write(reply.toWire(true));
                out.flush();
                socket.shutdownOutput();
            } catch (IOException ignored) {
                // the client is gone
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
