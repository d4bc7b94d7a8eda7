package org.postern.smtp.client;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mailer flag {@code E}: a body line beginning with {@code "From "} is sent as {@code ">From "},
 * so a next hop that stores mail in mbox files does not take it for the start of a message.
 * Header lines are left alone, as sendmail's putbody leaves them.
 */
final class FromEscaper extends ContentFilter {

    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

    /** Octets of the current line's start that match "From " so far. */
    private int matched;
    private boolean deciding = true;

    FromEscaper(InputStream in) {
        super(in);
    }

    @Override
    void content(int b) {
        if (!deciding || inHeaders()) {
            emit(b);
            return;
        }
        if (b == FROM[matched]) {
            matched++;
            if (matched == FROM.length) {
                emit('>');
                emit(FROM);
                matched = 0;
                deciding = false;
            }
            return;
        }
        flush();
        emit(b);
    }

    @Override
    void lineEnd() {
        flush();
        emitCrlf();
        deciding = true;
    }

    @Override
    void end(boolean partialLine) {
        flush();
    }

    private void flush() {
        for (int i = 0; i < matched; i++) {
            emit(FROM[i]);
        }
        matched = 0;
        deciding = false;
    }
}
