package org.postern.smtp.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP server on 127.0.0.1 for client tests: answers each command as configured, and
 * records what it received (command lines, raw DATA bytes, AUTH secrets, which commands arrived
 * together). With PIPELINING advertised it holds its replies to RSET, MAIL and RCPT until a later
 * command, so a client that waits for each reply stalls: the groups it sent are visible in
 * {@link #batches}. Without PIPELINING it records whether a client sent a command before the reply
 * to the previous one ({@link #sentAhead}).
 */
final class ScriptedSmtpPeer implements AutoCloseable {

    enum Behaviour { NORMAL, NO_GREETING, HANG_AFTER_GREETING, STOP_READING_IN_DATA }

    // ---- script ----
    String greeting = "220 peer.test ESMTP scripted";
    List<String> capabilities = new ArrayList<>(List.of("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME"));
    /** Capabilities after STARTTLS; null means the same without STARTTLS. */
    List<String> capabilitiesAfterTls;
    /** A reply to EHLO instead of the capability list, e.g. {@code "502 5.5.1 no EHLO here"}. */
    String ehloReply;
    Function<String, String> mailReply = cmd -> "250 2.1.0 sender ok";
    Function<String, String> rcptReply = cmd -> "250 2.1.5 recipient ok";
    String endOfDataReply = "250 2.0.0 queued as 1";
    /** LMTP (RFC 2033): LHLO instead of EHLO, and this reply per accepted RCPT line after the final dot. */
    Function<String, String> lmtpReply;
    /** A pause before the reply to the final dot. */
    long endOfDataDelayMillis;
    boolean acceptDataWithoutRecipients;
    String authReply = "235 2.7.0 authenticated";
    SSLContext tls;
    /** Bytes sent right after the STARTTLS 220, before the handshake (response injection). */
    String injectAfterStartTls;
    Behaviour behaviour = Behaviour.NORMAL;
    int receiveBufferSize;

    // ---- record ----
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<String> sentAhead = new CopyOnWriteArrayList<>();
    final List<String> authSecrets = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<java.net.SocketAddress> clients = new CopyOnWriteArrayList<>();
    volatile boolean tlsEstablished;

    private ServerSocket listener;
    private Thread acceptor;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedSmtpPeer start() throws IOException {
        listener = new ServerSocket();
        if (receiveBufferSize > 0) {
            listener.setReceiveBufferSize(receiveBufferSize); // inherited by accepted sockets
        }
        listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        acceptor = Thread.ofPlatform().daemon().name("scripted-peer").start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    clients.add(s.getRemoteSocketAddress());
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return this;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** The command lines received after the last EHLO/HELO, i.e. the transaction commands. */
    List<String> transactionCommands() {
        List<String> out = new ArrayList<>();
        for (String c : commands) {
            String verb = verb(c);
            if (verb.equals("EHLO") || verb.equals("HELO") || verb.equals("LHLO") || verb.equals("STARTTLS")
                    || verb.equals("AUTH")) {
                out.clear();
            } else if (!verb.equals("QUIT")) {
                out.add(c);
            }
        }
        return out;
    }

    String message(int i) {
        return new String(messages.get(i), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }

    // ---- the server side of one connection ----

    private void serve(Socket socket) {
        try {
            new Connection(socket).run();
        } catch (IOException e) {
            // the client went away or a test closed us: recorded only when unexpected
            if (!socket.isClosed() && !(e instanceof java.io.EOFException)) {
                failures.add(e);
            }
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // done
            }
        }
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        String v = space < 0 ? line : line.substring(0, space);
        return v.toUpperCase(Locale.ROOT);
    }

    private final class Connection {
        private final Socket raw;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private List<String> batch = new ArrayList<>();
        private boolean pipelining;
        private int accepted;
        private final List<String> acceptedRcpts = new ArrayList<>();

        Connection(Socket raw) throws IOException {
            this.raw = raw;
            use(raw);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = new BufferedOutputStream(s.getOutputStream());
        }

        void run() throws IOException {
            if (behaviour == Behaviour.NO_GREETING) {
                sleepUntilClosed();
                return;
            }
            reply(greeting);
            flush();
            if (behaviour == Behaviour.HANG_AFTER_GREETING) {
                sleepUntilClosed();
                return;
            }
            while (true) {
                String line = readLine();
                if (line == null) {
                    return;
                }
                commands.add(line);
                batch.add(line);
                String verb = verb(line);
                if (!pipelining && !verb.equals("QUIT")) {
                    pause(30); // give a client that does not wait for replies the time to show it
                    if (in.available() > 0) {
                        sentAhead.add(line);
                    }
                }
                switch (verb) {
                    case "EHLO" -> {
                        if (lmtpReply != null) {
                            reply("500 5.5.1 LMTP here: LHLO");
                        } else {
                            ehlo();
                        }
                    }
                    case "LHLO" -> {
                        if (lmtpReply != null) {
                            ehlo();
                        } else {
                            reply("500 5.5.2 unknown command");
                        }
                    }
                    case "HELO" -> reply("250 peer.test");
                    case "STARTTLS" -> {
                        if (startTls()) {
                            continue;
                        }
                        return;
                    }
                    case "AUTH" -> auth(line);
                    case "MAIL" -> {
                        accepted = 0;
                        acceptedRcpts.clear();
                        reply(mailReply.apply(line));
                    }
                    case "RCPT" -> {
                        String r = rcptReply.apply(line);
                        if (r.startsWith("2")) {
                            accepted++;
                            acceptedRcpts.add(line);
                        }
                        reply(r);
                    }
                    case "DATA" -> data();
                    case "RSET" -> reply("250 2.0.0 reset");
                    case "NOOP" -> reply("250 2.0.0 ok");
                    case "QUIT" -> {
                        reply("221 2.0.0 bye");
                        flush();
                        return;
                    }
                    default -> reply("500 5.5.2 unknown command");
                }
                boolean hold = pipelining && (verb.equals("MAIL") || verb.equals("RCPT") || verb.equals("RSET"));
                if (!hold) {
                    flush();
                }
                if (lastReply.startsWith("421")) {
                    flush(); // closing: whatever was held goes out first
                    return;
                }
                if (behaviour == Behaviour.STOP_READING_IN_DATA && verb.equals("DATA")) {
                    sleepUntilClosed();
                    return;
                }
            }
        }

        private String lastReply = "";

        private void ehlo() throws IOException {
            if (ehloReply != null) {
                reply(ehloReply);
                return;
            }
            List<String> caps = capabilities;
            if (tlsEstablished) {
                caps = capabilitiesAfterTls != null ? capabilitiesAfterTls
                        : capabilities.stream().filter(c -> !c.equalsIgnoreCase("STARTTLS")).toList();
            }
            pipelining = caps.contains("PIPELINING");
            List<String> lines = new ArrayList<>();
            lines.add("peer.test greets you");
            lines.addAll(caps);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                s.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
                if (i < lines.size() - 1) {
                    s.append("\r\n");
                }
            }
            reply(s.toString());
        }

        private boolean startTls() throws IOException {
            if (tls == null) {
                reply("454 4.7.0 TLS not available");
                flush();
                return true;
            }
            String ready = "220 2.0.0 ready to start TLS\r\n" + (injectAfterStartTls == null ? "" : injectAfterStartTls);
            out.write(ready.getBytes(StandardCharsets.US_ASCII));
            flush();
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
            ssl.setUseClientMode(false);
            try {
                ssl.startHandshake();
            } catch (IOException e) {
                return false; // the client refused our certificate (or we were injecting): end here
            }
            tlsEstablished = true;
            use(ssl);
            return true;
        }

        private void auth(String line) throws IOException {
            String[] parts = line.split(" ");
            String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
            if (mechanism.equals("PLAIN")) {
                String response = parts.length > 2 ? parts[2] : null;
                if (response == null) {
                    reply("334 ");
                    flush();
                    response = readLine();
                }
                authSecrets.add(decode(response));
            } else if (mechanism.equals("LOGIN")) {
                reply("334 VXNlcm5hbWU6");
                flush();
                authSecrets.add(decode(readLine()));
                reply("334 UGFzc3dvcmQ6");
                flush();
                authSecrets.add(decode(readLine()));
            } else {
                reply("504 5.5.4 unknown mechanism");
                return;
            }
            reply(authReply);
        }

        private void data() throws IOException {
            if (accepted == 0 && !acceptDataWithoutRecipients) {
                reply("554 5.5.1 no valid recipients");
                return;
            }
            reply("354 end with <CRLF>.<CRLF>");
            flush();
            if (behaviour == Behaviour.STOP_READING_IN_DATA) {
                return;
            }
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int[] last = {-1, -1, -1, '\r', '\n'}; // the DATA line's CRLF counts for a dot on the first line
            while (true) {
                int x = in.read();
                if (x < 0) {
                    throw new java.io.EOFException("end of input in DATA");
                }
                data.write(x);
                System.arraycopy(last, 1, last, 0, 4);
                last[4] = x;
                if (last[0] == '\r' && last[1] == '\n' && last[2] == '.' && last[3] == '\r' && last[4] == '\n') {
                    break;
                }
            }
            messages.add(data.toByteArray());
            if (endOfDataDelayMillis > 0) {
                pause(endOfDataDelayMillis);
            }
            if (lmtpReply != null) {
                for (String rcpt : acceptedRcpts) {
                    reply(lmtpReply.apply(rcpt));
                }
            } else {
                reply(endOfDataReply);
            }
        }

        private void reply(String text) throws IOException {
            lastReply = text;
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        private void flush() throws IOException {
            out.flush();
            if (!batch.isEmpty()) {
                batches.add(List.copyOf(batch));
                batch = new ArrayList<>();
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int x = in.read();
                if (x < 0) {
                    return null;
                }
                if (x == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                line.write(x);
            }
        }

        private void sleepUntilClosed() {
            while (!socket.isClosed() && !raw.isClosed()) {
                pause(50);
            }
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
