package org.postern.smtp.client;

import java.io.InputStream;

/**
 * Mailer flag {@code b}: the message ends with an empty line. As sendmail's putbody, one is added
 * when the last line is not empty (a last line without a line end is ended first).
 */
final class BlankLineEnder extends ContentFilter {

    private boolean lastLineEmpty;
    private boolean any;

    BlankLineEnder(InputStream in) {
        super(in);
    }

    @Override
    void content(int b) {
        emit(b);
    }

    @Override
    void lineEnd() {
        lastLineEmpty = lineLength() == 0;
        any = true;
        emitCrlf();
    }

    @Override
    void end(boolean partialLine) {
        if (partialLine) {
            emitCrlf();
            emitCrlf();
        } else if (any && !lastLineEmpty) {
            emitCrlf();
        }
    }
}
