package org.postern.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A deliberately low-level SMTP client for tests: it writes exactly the bytes it is given (so tests
 * can send bare LFs, pipelined batches and smuggling payloads) and parses replies strictly.
 */
public final class SmtpTestClient implements Closeable {

    /** One reply: its code and its lines of text (without the code and separator). */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        /** The enhanced status code, if the first line has one. */
        public String enhanced() {
            String first = lines.get(0);
            int space = first.indexOf(' ');
            String word = space < 0 ? first : first.substring(0, space);
            return word.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? word : null;
        }

        @Override
        public String toString() {
            return code + " " + text();
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public SmtpTestClient(String host, int port) throws IOException {
        this(host, port, 10_000);
    }

    public SmtpTestClient(String host, int port, int timeoutMillis) throws IOException {
        this(host, port, null, timeoutMillis);
    }

    /**
     * @param localAddress the loopback address to connect from (e.g. {@code 127.0.0.2}), so a test can
     *                     be a different client; null lets the system choose
     */
    public SmtpTestClient(String host, int port, String localAddress, int timeoutMillis) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setTcpNoDelay(true); // each send() leaves at once, so tests control how bytes are split
        socket.setSoTimeout(timeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SmtpTestClient connect(int port) throws IOException {
        return new SmtpTestClient("127.0.0.1", port);
    }

    /** Connects to 127.0.0.1 from the given loopback address (any of 127.0.0.0/8 works on Linux). */
    public static SmtpTestClient connectFrom(String localAddress, int port) throws IOException {
        return new SmtpTestClient("127.0.0.1", port, localAddress, 10_000);
    }

    /** The queue id at the end of a "250 ... queued as ID" reply. */
    public static String queueId(Reply queued) {
        String text = queued.text();
        if (queued.code() != 250 || !text.contains("queued as ")) {
            throw new AssertionError("not a queued reply: " + queued);
        }
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    /** Sets how long a read waits before failing. */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /**
     * True when nothing at all arrives for {@code millis} (neither bytes nor the end of the stream).
     * Leaves the connection usable; restores a 10 s read timeout.
     */
    public boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /**
     * Reads everything the server still sends until it closes the connection (a reset also ends
     * it); fails if the connection is still open after the read timeout.
     */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                all.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("server did not close the connection; received so far: "
                    + all.toString(StandardCharsets.UTF_8), e);
        } catch (java.net.SocketException e) {
            // reset by the server: the stream has ended
        }
        return all.toByteArray();
    }

    public Socket socket() {
        return socket;
    }

    public Reply greeting() throws IOException {
        return read();
    }

    /** Sends one command line (CRLF added) and reads its reply. */
    public Reply command(String line) throws IOException {
        send(line + "\r\n");
        return read();
    }

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    public Reply ehlo(String name) throws IOException {
        return command("EHLO " + name);
    }

    /** MAIL, RCPTs, DATA and the content (dot-stuffed by the caller if needed); returns the final reply. */
    public Reply sendMessage(String from, List<String> to, String content) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (r.code() != 250) {
            return r;
        }
        for (String rcpt : to) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (r.code() != 250) {
                return r;
            }
        }
        r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        send(content + (content.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return read();
    }

    /** Reads one (possibly multi-line) reply; fails on malformed reply lines. */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed while waiting for a reply" + (lines.isEmpty() ? "" : " after " + lines));
            }
            if (line.length() < 3 || !line.substring(0, 3).matches("[2-5]\\d\\d")
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            code = Integer.parseInt(line.substring(0, 3));
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
        }
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length;
                if (len == 0 || bytes[len - 1] != '\r') {
                    throw new IOException("reply line not ended by CRLF");
                }
                return new String(bytes, 0, len - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    /** Upgrades to TLS trusting any certificate (the dev default is self-signed). */
    public void startTls() throws IOException {
        socket = trustAll().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ((SSLSocket) socket).startHandshake();
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // test teardown
        }
    }
}
