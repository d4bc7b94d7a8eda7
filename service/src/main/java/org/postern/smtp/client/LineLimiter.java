package org.postern.smtp.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * Mailer field {@code L=}: a line longer than the limit is broken as sendmail's putxline breaks it:
 * the first {@code limit - 1} octets, a {@code !} and a line end, then a space and as much again
 * (the space counts), until the rest fits. Each piece is then exactly {@code limit} octets long and
 * the continuation starts with white space, so in a header it is a folded line. A line of exactly
 * {@code limit} octets fits. The line limit excludes the CRLF.
 */
final class LineLimiter extends ContentFilter {

    private final int limit;
    /** Octets on the current output line. */
    private int column;
    /** The octet that would make the output line {@code limit} long: emitted only once it is known to fit. */
    private int held = -1;

    LineLimiter(InputStream in, int limit) {
        super(in);
        if (limit < 3) {
            throw new IllegalArgumentException("line limit " + limit + " leaves no room to break lines");
        }
        this.limit = limit;
    }

    @Override
    void content(int b) {
        if (held >= 0) {
            // The line goes on past the limit: break it before the held octet.
            emit('!');
            emitCrlf();
            emit(' ');
            emit(held);
            column = 2;
            held = -1;
        }
        if (column == limit - 1) {
            held = b;
        } else {
            emit(b);
            column++;
        }
    }

    @Override
    void content(byte[] b, int off, int len) throws IOException {
        if (held < 0 && column + len <= limit - 1) {
            emit(b, off, len); // the run fits before the column where an octet would be held
            column += len;
        } else {
            super.content(b, off, len);
        }
    }

    @Override
    void lineEnd() {
        if (held >= 0) {
            emit(held);
            held = -1;
        }
        emitCrlf();
        column = 0;
    }

    @Override
    void end(boolean partialLine) {
        if (held >= 0) {
            emit(held);
            held = -1;
        }
    }
}
