package org.postern.header;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header block at the start of a message (RFC 5322 §2.2): its fields, in order, and how many
 * octets they take. The block ends at the empty line, or — as sendmail reads a message — at the
 * first line that is neither a field nor a continuation line (that line starts the body).
 *
 * <p>Reading is bounded: a block larger than the limit is {@linkplain #complete() incomplete},
 * and callers must not draw conclusions from fields they did not see.
 */
public final class HeaderBlock {

    /** A header block with no fields (a message that starts with its body). */
    public static final HeaderBlock EMPTY = new HeaderBlock(List.of(), 0, true);

    private final List<HeaderField> fields;
    private final int length;
    private final boolean complete;

    private HeaderBlock(List<HeaderField> fields, int length, boolean complete) {
        this.fields = List.copyOf(fields);
        this.length = length;
        this.complete = complete;
    }

    static HeaderBlock incomplete() {
        return new HeaderBlock(List.of(), 0, false);
    }

    /** The fields, in message order. */
    public List<HeaderField> fields() {
        return fields;
    }

    /** Octets of the fields (the empty line that ends the block is not counted). */
    public int length() {
        return length;
    }

    /** False when the block was larger than the reading limit: its fields were not all seen. */
    public boolean complete() {
        return complete;
    }

    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.is(name));
    }

    /** The first field called {@code name}, or null. */
    public HeaderField first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst().orElse(null);
    }

    /** Whether the message has been resent (any {@code Resent-*} field; sendmail's EF_RESENT). */
    public boolean hasResent() {
        return fields.stream().anyMatch(f -> HeaderRule.isResent(f.name()));
    }

    /**
     * Reads the header block from the start of {@code content}, at most {@code limit} octets;
     * the stream is left wherever reading stopped.
     */
    public static HeaderBlock read(InputStream content, int limit) throws IOException {
        HeaderCapture capture = new HeaderCapture(limit);
        byte[] buf = new byte[Math.min(limit + 1, 8192)];
        while (!capture.done()) {
            int n = content.read(buf);
            if (n < 0) {
                break;
            }
            capture.write(buf, 0, n);
        }
        return capture.block();
    }

    /** Splits {@code b[0, length)}, a run of field lines (the last may lack its line break), into fields. */
    static HeaderBlock parse(byte[] b, int length) {
        List<HeaderField> fields = new ArrayList<>();
        int start = 0;
        String name = null;
        int pos = 0;
        while (pos < length) {
            int eol = pos;
            while (eol < length && b[eol] != '\n') {
                eol++;
            }
            int next = Math.min(eol + 1, length);
            if (b[pos] != ' ' && b[pos] != '\t') {
                if (name != null) {
                    fields.add(HeaderField.ofRaw(name, Arrays.copyOfRange(b, start, pos)));
                }
                name = fieldName(b, pos, eol);
                start = pos;
            }
            pos = next;
        }
        if (name != null) {
            fields.add(HeaderField.ofRaw(name, Arrays.copyOfRange(b, start, length)));
        }
        return new HeaderBlock(fields, length, true);
    }

    /** What a line {@code b[from, to)} (line break excluded) is, for finding the end of the block. */
    enum Line { FIELD, CONTINUATION, END }

    static Line classify(byte[] b, int from, int to, boolean inField) {
        int end = to;
        if (end > from && b[end - 1] == '\r') {
            end--;
        }
        if (end == from) {
            return Line.END;
        }
        if (b[from] == ' ' || b[from] == '\t') {
            return inField ? Line.CONTINUATION : Line.END;
        }
        return fieldName(b, from, end) != null ? Line.FIELD : Line.END;
    }

    /**
     * The field name of a line starting a field: printable ASCII except the colon (RFC 5322 ftext),
     * optionally followed by spaces before the colon (obsolete syntax); null when the line is not a field.
     */
    static String fieldName(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] > 32 && b[i] < 127 && b[i] != ':') {
            i++;
        }
        int nameEnd = i;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (nameEnd == from || i >= to || b[i] != ':') {
            return null;
        }
        return new String(b, from, nameEnd - from, StandardCharsets.US_ASCII);
    }
}
