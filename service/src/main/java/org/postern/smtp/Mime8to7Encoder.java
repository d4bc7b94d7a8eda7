package org.postern.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The two RFC 2045 encodings {@link Mime8to7} writes, fed line by line (a line may come in several
 * chunks; only a chunk with a line end ends the line), so a part of any size streams through.
 *
 * <p>The line end before a multipart boundary belongs to the boundary (RFC 2046 §5.1.1), not to the
 * part: {@link #finish(boolean)} is told whether the part ended at a boundary so base64 leaves that
 * last line end out of the data. Quoted-printable writes every line end as a hard line break, and
 * the last one doubles as the boundary's, so both cases come out the same there.
 */
abstract sealed class Mime8to7Encoder permits Mime8to7Encoder.QuotedPrintable, Mime8to7Encoder.Base64Lines {

    /** RFC 2045 §6.7 (5) and §6.8: encoded lines are at most 76 characters. */
    static final int MAX_LINE = 76;
    private static final byte[] CRLF = {'\r', '\n'};

    final OutputStream out;

    Mime8to7Encoder(OutputStream out) {
        this.out = out;
    }

    /**
     * One chunk of a line: octets {@code [0, contentLength)} are content; when {@code length} is
     * greater the chunk ends the line and {@code [contentLength, length)} is its line end.
     */
    abstract void line(byte[] b, int contentLength, int length) throws IOException;

    /** Writes what is pending; {@code atBoundary} when a multipart boundary line comes next. */
    abstract void finish(boolean atBoundary) throws IOException;

    /**
     * RFC 2045 §6.7 quoted-printable for text: CRLF line ends are hard line breaks, lines longer
     * than 76 get soft breaks, {@code =} and octets outside 33-126 are escaped, and whitespace at the
     * end of a line is escaped so no transport can strip it.
     */
    static final class QuotedPrintable extends Mime8to7Encoder {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private int column;
        /** A space or tab not yet written: literal if more text follows on the line, escaped if not. */
        private int pendingSpace = -1;

        /** Octets that do not map cleanly between ASCII and EBCDIC (RFC 2045 §6.7 note; sendmail's flag 3). */
        private static final String EBCDIC_VARIANT = "!\"#$@[\\]^`{|}~";
        private final boolean ebcdicSafe;

        QuotedPrintable(OutputStream out) {
            this(out, false);
        }

        QuotedPrintable(OutputStream out, boolean ebcdicSafe) {
            super(out);
            this.ebcdicSafe = ebcdicSafe;
        }

        @Override
        void line(byte[] b, int contentLength, int length) throws IOException {
            for (int i = 0; i < contentLength; i++) {
                int c = b[i] & 0xFF;
                if (pendingSpace >= 0) {
                    literal(pendingSpace);
                    pendingSpace = -1;
                }
                if (c == ' ' || c == '\t') {
                    pendingSpace = c;
                } else if (c > 32 && c < 127 && c != '=' && !(ebcdicSafe && EBCDIC_VARIANT.indexOf(c) >= 0)) {
                    literal(c);
                } else {
                    escaped(c);
                }
            }
            if (length > contentLength) {
                flushSpace();
                out.write(CRLF);
                column = 0;
            }
        }

        @Override
        void finish(boolean atBoundary) throws IOException {
            flushSpace();
        }

        private void flushSpace() throws IOException {
            if (pendingSpace >= 0) {
                escaped(pendingSpace);
                pendingSpace = -1;
            }
        }

        // Room is kept for the "=" of a soft line break, so a line never passes 76.
        private void literal(int c) throws IOException {
            if (column + 1 > MAX_LINE - 1) {
                softBreak();
            }
            out.write(c);
            column++;
        }

        private void escaped(int c) throws IOException {
            if (column + 3 > MAX_LINE - 1) {
                softBreak();
            }
            out.write('=');
            out.write(HEX[c >> 4]);
            out.write(HEX[c & 15]);
            column += 3;
        }

        private void softBreak() throws IOException {
            out.write('=');
            out.write(CRLF);
            column = 0;
        }
    }

    /** RFC 2045 §6.8 base64 in 76-character lines, the data being the octets exactly as read. */
    static final class Base64Lines extends Mime8to7Encoder {
        private static final int GROUP = MAX_LINE / 4 * 3; // 57 octets make one full line
        private final byte[] group = new byte[GROUP];
        private int groupLength;
        private final byte[] pendingLineEnd = new byte[8];
        private int pendingLength;
        private final Base64.Encoder encoder = Base64.getEncoder();

        Base64Lines(OutputStream out) {
            super(out);
        }

        @Override
        void line(byte[] b, int contentLength, int length) throws IOException {
            flushLineEnd();
            data(b, 0, contentLength);
            pendingLength = length - contentLength;
            System.arraycopy(b, contentLength, pendingLineEnd, 0, pendingLength);
        }

        @Override
        void finish(boolean atBoundary) throws IOException {
            if (!atBoundary) {
                flushLineEnd();
            }
            if (groupLength > 0) {
                writeGroup();
            }
        }

        private void flushLineEnd() throws IOException {
            if (pendingLength > 0) {
                data(pendingLineEnd, 0, pendingLength);
                pendingLength = 0;
            }
        }

        private void data(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, GROUP - groupLength);
                System.arraycopy(b, off, group, groupLength, n);
                groupLength += n;
                off += n;
                len -= n;
                if (groupLength == GROUP) {
                    writeGroup();
                }
            }
        }

        private void writeGroup() throws IOException {
            byte[] encoded = encoder.encode(groupLength == GROUP ? group : Arrays.copyOf(group, groupLength));
            out.write(encoded);
            out.write(CRLF);
            groupLength = 0;
        }
    }
}
