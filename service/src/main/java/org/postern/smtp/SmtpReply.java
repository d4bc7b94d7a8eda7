package org.postern.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional enhanced status code (RFC 3463) and one or more
 * lines of text. Replies shown to a peer never carry internal detail (no paths, no exceptions).
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs text");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    /** The same code and status with other text, for replies that name the argument they answer. */
    public SmtpReply withText(String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply on the wire; enhanced status codes are written only when the session advertised them. */
    public byte[] toWire(boolean enhancedStatusCodes) {
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedStatusCodes && enhanced != null) {
                out.append(enhanced).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + String.join(" / ", lines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmtpReply r && r.code == code && Objects.equals(r.enhanced, enhanced) && r.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, enhanced, lines);
    }
}
