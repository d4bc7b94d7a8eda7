package org.postern.rewriting;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.postern.smtp.MailAddress;

/**
 * Rewrites the addresses in a message's address headers, as sendmail applies a mailer's header
 * rule sets: the {@code S=} header rule set to the originator fields sendmail marks {@code H_FROM}
 * ({@link #SENDER_FIELDS}), the {@code R=} header rule set to the destination fields it marks
 * {@code H_RCPT} ({@link #RECIPIENT_FIELDS}). Only the addr-specs change (see {@link AddressList});
 * a field that does not parse, is not UTF-8, or names nothing to rewrite keeps its exact bytes, and
 * so do all other fields and the body.
 *
 * <p>{@link #rewriteField} is the pure function for a header stage that already has the fields;
 * {@link #filter} does the same to a content stream, holding only the header section in memory.
 */
public final class HeaderRewriter {

    /** sendmail's H_FROM fields (conf.c HdrInfo): rewritten as senders. */
    public static final Set<String> SENDER_FIELDS = Set.of("from", "sender", "reply-to", "resent-from",
            "resent-sender", "resent-reply-to", "errors-to");
    /** sendmail's H_RCPT fields: rewritten as recipients. */
    public static final Set<String> RECIPIENT_FIELDS = Set.of("to", "cc", "bcc", "resent-to", "resent-cc",
            "resent-bcc", "apparently-to");
    /** The largest header section rewritten; mail with more header is passed on untouched (bounded memory). */
    static final int MAX_HEADER_SECTION = 1 << 20;

    private final UnaryOperator<MailAddress> sender;
    private final UnaryOperator<MailAddress> recipient;

    /**
     * @param sender    rewrites addresses in sender fields, or null to leave them
     * @param recipient rewrites addresses in recipient fields, or null to leave them
     */
    public HeaderRewriter(UnaryOperator<MailAddress> sender, UnaryOperator<MailAddress> recipient) {
        this.sender = sender;
        this.recipient = recipient;
    }

    /**
     * The body of field {@code name} (without the name and colon; folded or not) with its addresses
     * rewritten; the same instance when the field is not rewritten or nothing changed.
     */
    public String rewriteField(String name, String body) {
        UnaryOperator<MailAddress> rewriter = rewriterFor(name);
        return rewriter == null ? body : AddressList.rewrite(body, rewriter);
    }

    private UnaryOperator<MailAddress> rewriterFor(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return SENDER_FIELDS.contains(lower) ? sender : RECIPIENT_FIELDS.contains(lower) ? recipient : null;
    }

    /**
     * {@code content} with its header section rewritten; the body is streamed as it is. Closing the
     * returned stream closes {@code content}.
     */
    public InputStream filter(InputStream content) throws IOException {
        byte[] buf = new byte[8192];
        int length = 0;
        int end = -1;
        int scanned = 0;
        while (true) {
            end = headerEnd(buf, scanned, length);
            if (end >= 0) {
                break;
            }
            scanned = Math.max(0, length - 2);
            if (length == MAX_HEADER_SECTION) {
                // Too much header to hold: pass it on as it is rather than buffer without bound.
                return new SequenceInputStream(new ByteArrayInputStream(buf, 0, length), content);
            }
            if (length == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(MAX_HEADER_SECTION, buf.length * 2));
            }
            int n = content.read(buf, length, buf.length - length);
            if (n < 0) {
                end = length; // no body: the content is all header
                break;
            }
            length += n;
        }
        byte[] header = rewriteSection(buf, end);
        List<InputStream> parts = List.of(new ByteArrayInputStream(header), new ByteArrayInputStream(buf, end,
                length - end), content);
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Just past the empty line that ends the header section in {@code buf[0, length)}, or -1. */
    private static int headerEnd(byte[] buf, int from, int length) {
        if (from == 0 && length > 0 && (buf[0] == '\n' || length > 1 && buf[0] == '\r' && buf[1] == '\n')) {
            return 0; // no header at all
        }
        for (int i = from; i < length; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < length && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < length && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /**
     * The header section {@code section[0, length)} with its address fields rewritten. Stops, copying
     * the rest as it is, at the empty line or at the first line that is not a header field.
     */
    byte[] rewriteSection(byte[] section, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 256);
        int i = 0;
        while (i < length) {
            byte first = section[i];
            if (first == '\n' || first == '\r' || first == ' ' || first == '\t') {
                break; // the empty line, or a stray continuation: leave the rest alone
            }
            int end = lineEnd(section, i, length);
            int colon = indexOf(section, (byte) ':', i, end);
            if (colon < 0) {
                break; // not a header field
            }
            while (end < length && (section[end] == ' ' || section[end] == '\t')) {
                end = lineEnd(section, end, length);
            }
            byte[] rewritten = rewriteField(section, i, colon, end);
            if (rewritten == null) {
                out.write(section, i, end - i);
            } else {
                out.writeBytes(rewritten);
            }
            i = end;
        }
        out.write(section, i, length - i);
        return out.toByteArray();
    }

    /**
     * One field as raw octets (name, colon, body with its folds, final line break) with its addresses
     * rewritten, byte for byte the same elsewhere; null when it is unchanged. For a header stage that
     * holds fields as raw octets (org.postern.header's HeaderEditor).
     */
    public byte[] rewriteRawField(byte[] raw) {
        int colon = indexOf(raw, (byte) ':', 0, raw.length);
        return colon < 0 ? null : rewriteField(raw, 0, colon, raw.length);
    }

    /** The field {@code b[from, to)} whose name ends at {@code colon}, rewritten; null when unchanged. */
    private byte[] rewriteField(byte[] b, int from, int colon, int to) {
        UnaryOperator<MailAddress> rewriter = rewriterFor(new String(b, from, colon - from, StandardCharsets.US_ASCII));
        byte[] value = rewriter == null ? null : rewriteValue(b, colon + 1, to, rewriter);
        if (value == null) {
            return null;
        }
        byte[] field = java.util.Arrays.copyOfRange(b, from, colon + 1 + value.length);
        System.arraycopy(value, 0, field, colon + 1 - from, value.length);
        return field;
    }

    /** The field value {@code b[from, to)} rewritten, keeping its line ending; null when unchanged. */
    private static byte[] rewriteValue(byte[] b, int from, int to, UnaryOperator<MailAddress> rewriter) {
        int valueEnd = to;
        if (valueEnd > from && b[valueEnd - 1] == '\n') {
            valueEnd--;
            if (valueEnd > from && b[valueEnd - 1] == '\r') {
                valueEnd--;
            }
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, valueEnd - from)).toString();
        } catch (CharacterCodingException e) {
            return null; // neither ASCII nor UTF-8: not ours to interpret
        }
        String result = AddressList.rewrite(value, rewriter);
        if (result == value) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(result.length() + 8);
        out.writeBytes(result.getBytes(StandardCharsets.UTF_8));
        out.write(b, valueEnd, to - valueEnd);
        return out.toByteArray();
    }

    /** Just past the LF ending the line that starts at {@code from}, or {@code length}. */
    private static int lineEnd(byte[] b, int from, int length) {
        int lf = indexOf(b, (byte) '\n', from, length);
        return lf < 0 ? length : lf + 1;
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
