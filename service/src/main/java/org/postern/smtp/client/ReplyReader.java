package org.postern.smtp.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postern.smtp.SmtpReply;

/**
 * Reads SMTP replies (RFC 5321 §4.2): multi-line, with limits on line length and line count, and
 * the enhanced status code (RFC 2034) split off the text when the server offered it. Each reply is
 * bounded by its own timeout, applied as a deadline across the reads that make it up.
 */
final class ReplyReader {

    /** RFC 5321 allows 512 octets; real servers send longer text, so allow some slack. */
    static final int MAX_LINE = 4096;
    /** Far above any real EHLO reply. */
    static final int MAX_LINES = 200;

    /** A reply that is not SMTP: the session cannot continue. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;

    ReplyReader(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** Bytes received and not yet consumed: must be none when TLS starts. */
    int buffered() {
        return limit - pos;
    }

    SmtpReply read(Duration timeout, boolean enhancedStatusCodes) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine(deadline);
            if (line.length() < 3 || !isCode(line)) {
                throw new ProtocolException("malformed reply line");
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new ProtocolException("reply code changed within a multi-line reply");
            }
            code = lineCode;
            boolean last = line.length() == 3 || line.charAt(3) == ' ';
            if (!last && line.charAt(3) != '-') {
                throw new ProtocolException("malformed reply line");
            }
            if (lines.size() == MAX_LINES) {
                throw new ProtocolException("reply has too many lines");
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (last) {
                break;
            }
        }
        String enhanced = enhancedStatusCodes ? enhanced(code, lines.get(0)) : null;
        if (enhanced != null) {
            String prefix = enhanced + " ";
            lines.replaceAll(l -> l.startsWith(prefix) ? l.substring(prefix.length()) : l.equals(enhanced) ? "" : l);
        }
        return new SmtpReply(code, enhanced, lines);
    }

    private static boolean isCode(String line) {
        char a = line.charAt(0);
        return a >= '2' && a <= '5' && digits(line.substring(1, 3), 2);
    }

    /** A {@code class.subject.detail} at the start of the text whose class matches the reply's first digit. */
    static String enhanced(int code, String text) {
        int end = text.indexOf(' ');
        String candidate = end < 0 ? text : text.substring(0, end);
        String[] parts = candidate.split("\\.", -1);
        if (parts.length != 3 || parts[0].length() != 1 || parts[0].charAt(0) != (char) ('0' + code / 100)) {
            return null;
        }
        if (!digits(parts[1], 3) || !digits(parts[2], 3)) {
            return null;
        }
        return candidate;
    }

    private static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** One line without its ending; CRLF or a bare LF ends it (a reply is not data a peer relays). */
    private String readLine(long deadline) throws IOException {
        byte[] line = new byte[128];
        int len = 0;
        while (true) {
            if (pos == limit) {
                fill(deadline);
            }
            byte b = buf[pos++];
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return new String(line, 0, len, StandardCharsets.UTF_8);
            }
            if (len == MAX_LINE) {
                throw new ProtocolException("reply line too long");
            }
            if (len == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE + 1, len * 2));
            }
            line[len++] = b;
        }
    }

    private void fill(long deadline) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("reply timeout");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the next hop");
        }
        pos = 0;
        limit = n;
    }
}
