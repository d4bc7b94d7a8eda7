package org.postern.smtp.client;

import java.io.InputStream;

/**
 * Mailer flags {@code 7} and {@code 6}: the eighth bit of each octet is cleared, of the whole
 * message (7, as sendmail's putxline does for a 7-bit path) or of the header block only (6).
 */
final class EightBitStripper extends ContentFilter {

    private final boolean headersOnly;

    EightBitStripper(InputStream in, boolean headersOnly) {
        super(in);
        this.headersOnly = headersOnly;
    }

    @Override
    void content(int b) {
        emit(headersOnly && !inHeaders() ? b : b & 0x7F);
    }

    @Override
    void lineEnd() {
        emitCrlf();
    }
}
