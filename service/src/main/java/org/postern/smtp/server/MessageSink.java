package org.postern.smtp.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where message content goes on its way to the spool, with the checks that apply to content
 * however it arrived (DATA or BDAT): size, line length, bare CR or LF (rejected, or
 * normalised to CRLF), and NUL (always rejected: no BINARYMIME is offered, and a NUL passed on
 * verbatim lets a next hop that drops NULs read {@code CRLF NUL "." CRLF} as the end of data). After the first problem it stores nothing more, but the caller keeps
 * reading to the end of the content so the session stays in step with the client.
 */
final class MessageSink {

    /** How the content ended up. */
    enum Outcome { OK, TOO_BIG, LINE_TOO_LONG, BARE_LINE_ENDING, STORE_FAILED, NUL }

    private final OutputStream store;
    private final long maxSize;
    private final int maxLineLength;
    private final boolean normalize;
    private long size;
    private int lineLength;
    private boolean pendingCr;
    private Outcome outcome = Outcome.OK;
    private IOException storeFailure;

    MessageSink(OutputStream store, long maxSize, int maxLineLength, boolean normalize) {
        this.store = store;
        this.maxSize = maxSize;
        this.maxLineLength = maxLineLength;
        this.normalize = normalize;
    }

    Outcome outcome() {
        return outcome;
    }

    IOException storeFailure() {
        return storeFailure;
    }

    long size() {
        return size;
    }

    boolean failed() {
        return outcome != Outcome.OK;
    }

    /**
     * Content bytes, already un-dot-stuffed. CRLFs and plain octets go to the store in spans as
     * long as the write allows (a call per line end, or a test per octet, cost 100 KB messages a
     * tenth of the relay's CPU); only a bare CR or LF breaks a span.
     */
    void write(byte[] b, int off, int len) {
        if (failed()) {
            return;
        }
        int end = off + len;
        int spanStart = off;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    emit(CRLF, 0, 2); // the CR was held back at the end of the previous write
                    spanStart = i + 1;
                    lineLength = 0;
                    if (failed()) {
                        return;
                    }
                    continue;
                }
                if (!bare()) {
                    return;
                }
                emit(CRLF, 0, 2); // normalised bare CR
                spanStart = i;
                if (failed()) {
                    return;
                }
            }
            if (c == '\r') {
                if (i + 1 < end && b[i + 1] == '\n') {
                    i++; // a CRLF: it stays in the span
                    lineLength = 0;
                    continue;
                }
                emit(b, spanStart, i - spanStart); // CRLF or bare CR: the next octet decides
                spanStart = i + 1;
                pendingCr = true;
                if (failed()) {
                    return;
                }
            } else if (c == '\n') {
                if (!bare()) {
                    return;
                }
                emit(b, spanStart, i - spanStart);
                emit(CRLF, 0, 2);
                spanStart = i + 1;
                lineLength = 0;
                if (failed()) {
                    return;
                }
            } else if (c == 0) {
                outcome = Outcome.NUL;
                return;
            } else {
                int run = i + 1; // plain octets up to the next CR, LF or NUL
                while (run < end) {
                    byte d = b[run];
                    if (d == '\r' || d == '\n' || d == 0) {
                        break;
                    }
                    run++;
                }
                lineLength += run - i;
                if (lineLength > maxLineLength) {
                    outcome = Outcome.LINE_TOO_LONG;
                    return;
                }
                i = run - 1;
            }
        }
        if (spanStart < end) {
            emit(b, spanStart, end - spanStart);
        }
    }

    /** End of content: a CR still held back is bare. */
    void finish() {
        if (pendingCr && !failed()) {
            pendingCr = false;
            if (bare()) {
                emit(CRLF, 0, 2);
            }
        }
    }

    /** A bare CR or LF was seen: true to go on (normalising), false when it failed the message. */
    private boolean bare() {
        if (normalize) {
            lineLength = 0;
            return true;
        }
        outcome = Outcome.BARE_LINE_ENDING;
        return false;
    }

    private void emit(byte[] b, int off, int len) {
        if (len <= 0 || failed()) {
            return;
        }
        size += len;
        if (size > maxSize) {
            outcome = Outcome.TOO_BIG;
            return;
        }
        try {
            store.write(b, off, len);
        } catch (IOException e) {
            storeFailure = e;
            outcome = Outcome.STORE_FAILED;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
