package org.postern.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A next hop that tarpits, on a loopback address and a free port: it accepts every TCP connection
 * and then either says nothing at all, or sends its 220 greeting one byte at a time with a pause
 * between bytes (each read of the client gets a byte well within any per-read timeout, so only a
 * deadline over the whole reply ends the wait). It records how many connections were open at once
 * and how long each lasted until the client gave up.
 */
final class Tarpit implements AutoCloseable {

    /** How the tarpit behaves after accepting. */
    enum Mode { SILENT, TRICKLE }

    static final String GREETING = "220 tarpit.test ESMTP slowly\r\n";

    private final ServerSocket server;
    private final Mode mode;
    private final Duration byteInterval;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final List<Duration> lifetimes = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    /**
     * @param address      a loopback address of its own, so its circuit breaker is not the healthy route's
     * @param byteInterval the pause between greeting bytes in {@link Mode#TRICKLE}
     */
    Tarpit(String address, Mode mode, Duration byteInterval) throws IOException {
        this.mode = mode;
        this.byteInterval = byteInterval;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 500);
        Thread.ofVirtual().name("tarpit-accept").start(this::acceptLoop);
    }

    static Tarpit unchecked(String address, Mode mode, Duration byteInterval) {
        try {
            return new Tarpit(address, mode, byteInterval);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The route form, {@code esmtp:[address]:port}. */
    String route() {
        return "esmtp:[" + server.getInetAddress().getHostAddress() + "]:" + server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int openConnections() {
        return open.get();
    }

    int maxOpenConnections() {
        return maxOpen.get();
    }

    /** How long each connection the client closed had lasted. */
    List<Duration> lifetimes() {
        return List.copyOf(lifetimes);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().name("tarpit-connection").start(() -> hold(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void hold(Socket socket) {
        long start = System.nanoTime();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        try (socket) {
            InputStream in = socket.getInputStream();
            if (mode == Mode.TRICKLE) {
                OutputStream out = socket.getOutputStream();
                socket.setSoTimeout((int) byteInterval.toMillis());
                for (byte b : GREETING.getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    if (waitForClose(in)) {
                        return;
                    }
                }
                socket.setSoTimeout(0);
            }
            // Never answer anything: read (and ignore) until the client closes.
            while (in.read() >= 0) {
                // a command we will not answer
            }
        } catch (IOException e) {
            // the client reset the connection, or the test closed the tarpit
        } finally {
            open.decrementAndGet();
            sockets.remove(socket);
            if (!closed) {
                lifetimes.add(Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    /** Waits one byte interval for the client; true when it closed the connection meanwhile. */
    private static boolean waitForClose(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false; // still there, still waiting for the rest of the greeting
        }
    }
}
