package org.postern.soak;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's next hop: an ESMTP receiver on a loopback port that keeps nothing but a count per
 * {@code Message-ID}, so ten minutes of load cost it a few megabytes (the scenario tests'
 * {@code TestMailReceiver} keeps every message whole). Duplicates show as a count above one.
 */
final class CountingSink implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    CountingSink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        Thread.ofVirtual().name("soak-sink").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Messages received (each DATA answered 250). */
    int messages() {
        return messages.get();
    }

    int connections() {
        return connections.get();
    }

    /** How many times the message with this Message-ID (without angle brackets) arrived. */
    int count(String messageId) {
        AtomicInteger n = received.get(messageId);
        return n == null ? 0 : n.get();
    }

    /** Message-IDs that arrived more than once. */
    long duplicates() {
        return received.values().stream().filter(n -> n.get() > 1).count();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().name("soak-sink-session").start(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            socket.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            write(out, "220 sink.test ESMTP soak sink\r\n");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> write(out, "250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                            + "250-ENHANCEDSTATUSCODES\r\n250 SIZE 100000000\r\n");
                    case "HELO" -> write(out, "250 sink.test\r\n");
                    case "MAIL", "RSET", "NOOP" -> write(out, "250 2.0.0 OK\r\n");
                    case "RCPT" -> write(out, "250 2.1.5 OK\r\n");
                    case "DATA" -> {
                        write(out, "354 go ahead\r\n");
                        String id = readData(in);
                        if (id != null) {
                            received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        }
                        messages.incrementAndGet();
                        write(out, "250 2.0.0 OK received\r\n");
                    }
                    case "QUIT" -> {
                        write(out, "221 2.0.0 bye\r\n");
                        return;
                    }
                    default -> write(out, "502 5.5.2 not implemented\r\n");
                }
            }
        } catch (IOException e) {
            // the relay closed the connection, or the sink was closed
        }
    }

    /** Reads the content up to the final dot; returns its Message-ID, or null. */
    private static String readData(InputStream in) throws IOException {
        String id = null;
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                return id;
            }
            if (id == null && line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                id = line.substring(11).trim().replace("<", "").replace(">", "");
            }
        }
        throw new IOException("connection closed in DATA");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return null;
    }
}
