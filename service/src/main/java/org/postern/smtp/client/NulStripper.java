package org.postern.smtp.client;

import java.io.InputStream;

/** Mailer flag {@code 1}: NUL octets are dropped, for next hops that choke on them. */
final class NulStripper extends ContentFilter {

    NulStripper(InputStream in) {
        super(in);
    }

    @Override
    void content(int b) {
        if (b != 0) {
            emit(b);
        }
    }

    @Override
    void lineEnd() {
        emitCrlf();
    }
}
