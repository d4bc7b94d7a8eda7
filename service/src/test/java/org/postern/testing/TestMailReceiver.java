package org.postern.testing;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP receiver for end-to-end delivery tests, on a loopback address and a free port: it
 * speaks enough ESMTP (PIPELINING, 8BITMIME, SIZE, DSN, ENHANCEDSTATUSCODES, optional STARTTLS) to
 * be a next hop, records every message with the connection it came on, and answers each RCPT as
 * the test decides, so a test can script "451 first, then 250", a 550, or a peer that hangs.
 */
public final class TestMailReceiver implements AutoCloseable {

    /** One received message. */
    public record Message(int connection, String mailFrom, List<String> rcptTo, byte[] data, boolean tls) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> clientAddresses = new CopyOnWriteArrayList<>();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 OK";
    private volatile SSLContext tls;
    private volatile boolean hangAfterMail;
    private volatile boolean dsn = true;
    private volatile boolean eightBitMime = true;
    private volatile String authUser;
    private volatile String authPassword;
    private final List<String> authenticated = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile java.util.function.IntFunction<String> onConnect;
    private volatile Duration dataDelay = Duration.ZERO;
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile String name = "receiver.test";
    private volatile String greeting;
    private volatile boolean lmtp;
    private volatile Function<String, String> lmtpDataReply = rcpt -> "250 2.0.0 OK delivered";
    private volatile Duration dataFinalDelay = Duration.ZERO;

    public TestMailReceiver() throws IOException {
        this("127.0.0.1");
    }

    /** @param address a loopback address, e.g. {@code 127.0.0.3}, so MX tests can tell hosts apart */
    public TestMailReceiver(String address) throws IOException {
        this(address, 0);
    }

    /**
     * On a given port (0 for any), e.g. a next hop that comes back on the port where nothing
     * listened during an outage.
     */
    public TestMailReceiver(String address, int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        Thread.ofVirtual().name("test-receiver").start(this::acceptLoop);
    }

    /** For static fields: a receiver on 127.0.0.1, or an unchecked exception. */
    public static TestMailReceiver unchecked() {
        return unchecked("127.0.0.1");
    }

    public static TestMailReceiver unchecked(String address) {
        try {
            return new TestMailReceiver(address);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return server.getInetAddress().getHostAddress();
    }

    /** The smart-host form, {@code [127.0.0.1]:port}. */
    public String smartHost() {
        return "[" + address() + "]:" + port();
    }

    /** Decides the reply to each RCPT from its address (lower case, without brackets); a full reply line. */
    public TestMailReceiver onRcpt(Function<String, String> reply) {
        this.rcptReply = reply;
        return this;
    }

    /**
     * Decides the greeting of connection {@code n} (1, 2, ...): a full reply line, e.g. a 421, after
     * which the connection is closed unless it is a 220; or null to close the connection unanswered.
     */
    public TestMailReceiver onConnect(java.util.function.IntFunction<String> greeting) {
        this.onConnect = greeting;
        return this;
    }

    /** Waits this long before answering the end of DATA: a slow next hop, so concurrency shows. */
    public TestMailReceiver dataDelay(Duration delay) {
        this.dataDelay = delay;
        return this;
    }

    /** The most connections that were open at once. */
    public int maxConcurrentConnections() {
        return maxConcurrent.get();
    }

    /** The name the receiver gives itself in its greeting and its EHLO and HELO replies. */
    public TestMailReceiver name(String hostName) {
        this.name = hostName;
        return this;
    }

    /** The text of the 220 greeting after the name (default {@code "ESMTP test receiver"}). */
    public TestMailReceiver greeting(String text) {
        this.greeting = text;
        return this;
    }

    /**
     * Speaks LMTP (RFC 2033) instead of SMTP: LHLO (EHLO and HELO are refused), and after the
     * final dot one reply per accepted recipient, decided by {@code reply} from its address (lower case).
     */
    public TestMailReceiver lmtp(Function<String, String> reply) {
        this.lmtp = true;
        this.lmtpDataReply = reply;
        return this;
    }

    /** Waits this long before answering the final dot. */
    public TestMailReceiver dataFinalDelay(Duration delay) {
        this.dataFinalDelay = delay;
        return this;
    }

    /** Offers STARTTLS with this server context. */
    public TestMailReceiver startTls(SSLContext context) {
        this.tls = context;
        return this;
    }

    /** Reads MAIL FROM and then never answers: a next hop that hangs. */
    public TestMailReceiver hangAfterMail() {
        this.hangAfterMail = true;
        return this;
    }

    /** Whether EHLO offers DSN. */
    public TestMailReceiver dsn(boolean offered) {
        this.dsn = offered;
        return this;
    }

    /** Whether EHLO offers 8BITMIME. */
    public TestMailReceiver eightBitMime(boolean offered) {
        this.eightBitMime = offered;
        return this;
    }

    /** Offers AUTH PLAIN and requires it (530 before MAIL otherwise) with these credentials. */
    public TestMailReceiver requireAuth(String user, String password) {
        this.authUser = user;
        this.authPassword = password;
        return this;
    }

    /** The users that authenticated, each with "+tls" when the session was encrypted. */
    public List<String> authenticated() {
        return List.copyOf(authenticated);
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Every command line received, in order, over all connections. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The source address of each connection, in order. */
    public List<String> clientAddresses() {
        return List.copyOf(clientAddresses);
    }

    public int connections() {
        return connections.get();
    }

    /** The messages one recipient received. */
    public List<Message> messagesFor(String rcpt) {
        return messages.stream().filter(m -> m.rcptTo().contains(rcpt.toLowerCase(Locale.ROOT))).toList();
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    public static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                int id = connections.incrementAndGet();
                clientAddresses.add(s.getInetAddress().getHostAddress());
                open.add(s);
                Thread.ofVirtual().name("test-receiver-" + id).start(() -> session(s, id));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket, int connection) {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try (socket) {
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean secure = false;
            String hello = onConnect != null ? onConnect.apply(connection)
                    : "220 " + name + " " + (greeting != null ? greeting : lmtp ? "LMTP test receiver"
                            : "ESMTP test receiver");
            if (hello == null) {
                return;
            }
            write(out, hello);
            if (!hello.startsWith("220")) {
                return;
            }
            String from = null;
            List<String> rcpts = new ArrayList<>();
            boolean authed = false;
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                if (lmtp && (verb.equals("EHLO") || verb.equals("HELO"))) {
                    write(out, "500 5.5.1 this is LMTP: LHLO");
                    continue;
                }
                if (verb.equals("LHLO")) {
                    verb = lmtp ? "EHLO" : "LHLO";
                }
                switch (verb) {
                    case "EHLO" -> {
                        List<String> ext = new ArrayList<>(List.of(name, "PIPELINING",
                                "SIZE 100000000", "ENHANCEDSTATUSCODES", "SMTPUTF8"));
                        if (eightBitMime) {
                            ext.add("8BITMIME");
                        }
                        if (authUser != null) {
                            ext.add("AUTH PLAIN");
                        }
                        if (dsn) {
                            ext.add("DSN");
                        }
                        if (tls != null && !secure) {
                            ext.add("STARTTLS");
                        }
                        StringBuilder r = new StringBuilder();
                        for (int i = 0; i < ext.size(); i++) {
                            r.append("250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i)).append("\r\n");
                        }
                        out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    case "HELO" -> write(out, "250 " + name);
                    case "STAR" -> {
                        write(out, "220 2.0.0 go ahead");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(),
                                true);
                        ssl.setUseClientMode(false);
                        try {
                            ssl.startHandshake();
                        } catch (IOException e) {
                            return; // the client refused our certificate
                        }
                        in = new BufferedInputStream(ssl.getInputStream());
                        out = ssl.getOutputStream();
                        secure = true;
                    }
                    case "AUTH" -> {
                        String[] words = line.split(" ");
                        String expected = java.util.Base64.getEncoder().encodeToString(("\0" + authUser + "\0"
                                + authPassword).getBytes(StandardCharsets.UTF_8));
                        if (words.length == 3 && words[1].equalsIgnoreCase("PLAIN") && words[2].equals(expected)) {
                            authed = true;
                            authenticated.add(authUser + (secure ? "+tls" : ""));
                            write(out, "235 2.7.0 authenticated");
                        } else {
                            write(out, "535 5.7.8 authentication failed");
                        }
                    }
                    case "MAIL" -> {
                        if (authUser != null && !authed) {
                            write(out, "530 5.7.0 authentication required");
                            continue;
                        }
                        if (hangAfterMail) {
                            Thread.sleep(Long.MAX_VALUE);
                        }
                        from = between(line, '<', '>');
                        rcpts.clear();
                        write(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        String rcpt = between(line, '<', '>').toLowerCase(Locale.ROOT);
                        String reply = rcptReply.apply(rcpt);
                        if (reply.startsWith("2")) {
                            rcpts.add(rcpt);
                        }
                        write(out, reply);
                    }
                    case "DATA" -> {
                        if (rcpts.isEmpty()) {
                            write(out, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        write(out, "354 go ahead");
                        byte[] data = readData(in);
                        if (!dataDelay.isZero()) {
                            Thread.sleep(dataDelay.toMillis());
                        }
                        messages.add(new Message(connection, from, List.copyOf(rcpts), data, secure));
                        if (!dataFinalDelay.isZero()) {
                            Thread.sleep(dataFinalDelay.toMillis());
                        }
                        if (lmtp) {
                            for (String rcpt : rcpts) {
                                write(out, lmtpDataReply.apply(rcpt));
                            }
                        } else {
                            write(out, "250 2.0.0 OK received");
                        }
                        rcpts.clear();
                    }
                    case "RSET" -> {
                        rcpts.clear();
                        write(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> write(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        write(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> write(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test closed the receiver
        } finally {
            open.remove(socket);
            concurrent.decrementAndGet();
        }
    }

    private static String between(String line, char open, char close) {
        int a = line.indexOf(open);
        int b = line.indexOf(close, a + 1);
        return a < 0 || b < 0 ? "" : line.substring(a + 1, b);
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            line.write(c);
        }
        return null;
    }

    /** The content up to CRLF.CRLF, un-dot-stuffed, with CRLF line ends kept. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                line.write(c);
                if (c == '\n') {
                    break;
                }
            }
            if (c == -1) {
                throw new IOException("connection closed in DATA");
            }
            byte[] b = line.toByteArray();
            if (b.length == 3 && b[0] == '.' && b[1] == '\r') {
                return data.toByteArray();
            }
            int start = b.length > 0 && b[0] == '.' ? 1 : 0;
            data.write(b, start, b.length - start);
        }
    }
}
