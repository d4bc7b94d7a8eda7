package org.postern.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Base of the content filters a mailer's flags ask for: reads the content in chunks, hands each
 * line's octets and each line end to the subclass, and lets it emit what goes out. Line ends are
 * CRLF, or a bare CR or LF, which come out as CRLF, as {@link DotStuffer} would write them anyway.
 * It tracks whether the current line is in the header block (up to the first empty line) and how
 * long it is so far. Memory is bounded: one input chunk and what the subclass emits for it.
 */
abstract class ContentFilter extends InputStream {

    private static final int CHUNK = 8 * 1024;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] out = new byte[CHUNK + 64];
    private int outPos;
    private int outLimit;
    private boolean eof;
    private boolean pendingCr;
    private boolean headers = true;
    private long lineLength;

    ContentFilter(InputStream in) {
        this.in = in;
    }

    /** One octet of the current line (never CR or LF). */
    abstract void content(int b) throws IOException;

    /**
     * Octets {@code b[off, off+len)} of the current line, none CR or LF: {@link #content(int)} for
     * each unless a filter has a faster way (a run of plain octets is most of any message, and a
     * call per octet made 100 KB messages cost twice their share of CPU).
     */
    void content(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            content(b[i] & 0xFF);
            lineLength++;
        }
        lineLength -= len; // the caller counts the run
    }

    /** The current line ended; emit what the line end becomes (usually {@link #emitCrlf()}). */
    abstract void lineEnd() throws IOException;

    /** The input ended; {@code partialLine} when its last line had no line end. */
    void end(boolean partialLine) throws IOException {
    }

    /** Whether the current line belongs to the header block. */
    final boolean inHeaders() {
        return headers;
    }

    /** Octets of the current input line seen before this one. */
    final long lineLength() {
        return lineLength;
    }

    final void emit(int b) {
        if (outLimit == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[outLimit++] = (byte) b;
    }

    final void emit(byte[] b) {
        emit(b, 0, b.length);
    }

    final void emit(byte[] b, int off, int len) {
        if (outLimit + len > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLimit + len));
        }
        System.arraycopy(b, off, out, outLimit, len);
        outLimit += len;
    }

    final void emitCrlf() {
        emit('\r');
        emit('\n');
    }

    @Override
    public final int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return out[outPos++] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Makes output available; false at the end. */
    private boolean fill() throws IOException {
        while (outPos == outLimit) {
            if (eof) {
                return false;
            }
            outPos = 0;
            outLimit = 0;
            int n = in.read(chunk);
            if (n < 0) {
                eof = true;
                if (pendingCr) {
                    pendingCr = false;
                    endLine();
                }
                end(lineLength > 0);
                continue;
            }
            for (int i = 0; i < n; ) {
                int c = chunk[i] & 0xFF;
                if (pendingCr) {
                    pendingCr = false;
                    endLine();
                    if (c == '\n') {
                        i++;
                        continue; // CRLF: one line end
                    }
                }
                if (c == '\r') {
                    pendingCr = true;
                    i++;
                } else if (c == '\n') {
                    endLine();
                    i++;
                } else {
                    int end = i + 1;
                    while (end < n && chunk[end] != '\r' && chunk[end] != '\n') {
                        end++;
                    }
                    // lineLength still counts the octets before the run while the filter sees it
                    content(chunk, i, end - i);
                    lineLength += end - i;
                    i = end;
                }
            }
        }
        return true;
    }

    private void endLine() throws IOException {
        lineEnd();
        if (headers && lineLength == 0) {
            headers = false;
        }
        lineLength = 0;
    }
}
