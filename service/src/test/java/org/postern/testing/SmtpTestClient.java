package org.postern.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SmtpTestClient connect(int port) throws IOException {
        return new SmtpTestClient("127.0.0.1", port);
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
