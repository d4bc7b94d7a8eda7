package org.postern.smtp.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Mailer flag {@code 9}: "limited 7-&gt;8 bit MIME conversions", as sendmail's mime7to8 does them
 * for a next hop that offers 8BITMIME: a message whose top-level Content-Type is
 * {@code text/plain} and whose Content-Transfer-Encoding is {@code quoted-printable} is sent with
 * its body decoded and the encoding relabelled {@code 8bit}.
 *
 * <p>Limits, each leaving the message as it is: only the top-level entity (no multipart walk, as
 * in sendmail); only quoted-printable (sendmail also decodes base64 text); a header block over
 * 256 KiB; and a body whose decoded form would not be valid 8bit (RFC 2045 §2.8): a line longer
 * than the limit (the mailer's {@code L=}, at most 998), a NUL, or a CR or LF that is not part of a
 * CRLF. The body is read twice: once to decide, once to send.
 */
final class SevenToEightBit {

    static final int MAX_HEADER_BLOCK = 256 * 1024;
    /** RFC 5321 §4.5.3.1.6: 1000 octets with the CRLF. */
    static final int MAX_LINE = 998;

    /** The rewritten header block and how many octets of the original it replaces. */
    record Plan(byte[] headers, int originalHeaderLength) {
    }

    private SevenToEightBit() {
    }

    /**
     * Whether the content can be converted, and how. Reads the content once.
     *
     * @param lineLimit the mailer's {@code L=}, 0 for none; decoded lines must fit it and 998
     * @return the plan, or null to send the content unchanged
     */
    static Plan check(OutboundContent content, int lineLimit) throws IOException {
        int maxLine = lineLimit > 0 ? Math.min(lineLimit, MAX_LINE) : MAX_LINE;
        try (InputStream in = content.open()) {
            byte[] header = readHeaderBlock(in);
            if (header == null) {
                return null;
            }
            byte[] rewritten = rewrite(header);
            if (rewritten == null) {
                return null;
            }
            Decoder decoder = new Decoder(in, maxLine);
            decoder.transferTo(java.io.OutputStream.nullOutputStream());
            return decoder.valid ? new Plan(rewritten, header.length) : null;
        }
    }

    /** The converted content, as {@code plan} says. */
    static InputStream open(OutboundContent content, Plan plan) throws IOException {
        InputStream in = content.open();
        try {
            in.skipNBytes(plan.originalHeaderLength());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new SequenceInputStream(new ByteArrayInputStream(plan.headers()), new Decoder(in, MAX_LINE));
    }

    /** The header block up to and including the empty line; null if larger than the bound or unterminated. */
    private static byte[] readHeaderBlock(InputStream in) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream(4096);
        boolean lineStart = true;
        int c;
        while ((c = in.read()) >= 0) {
            block.write(c);
            if (block.size() > MAX_HEADER_BLOCK) {
                return null;
            }
            if (c == '\n') {
                if (lineStart) {
                    return block.toByteArray();
                }
                lineStart = true;
            } else if (!(c == '\r' && lineStart)) {
                lineStart = false;
            }
        }
        return null;
    }

    /**
     * The header block with Content-Transfer-Encoding set to 8bit, if the entity is a
     * quoted-printable text/plain; else null.
     */
    private static byte[] rewrite(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1);
        String[] fields = text.split("\r\n(?![ \t])", -1);
        String type = null;
        String encoding = null;
        for (String f : fields) {
            String name = fieldName(f);
            if (name.equals("content-type")) {
                type = value(f);
            } else if (name.equals("content-transfer-encoding")) {
                encoding = value(f);
            }
        }
        if (type == null || encoding == null) {
            return null;
        }
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/plain") || !encoding.strip().equalsIgnoreCase("quoted-printable")) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (fieldName(f).equals("content-transfer-encoding")) {
                f = "Content-Transfer-Encoding: 8bit";
            }
            out.append(f);
            if (i < fields.length - 1) {
                out.append("\r\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String fieldName(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    }

    private static String value(String field) {
        String v = field.substring(field.indexOf(':') + 1).replaceAll("\r\n[ \t]", " ");
        return v.replaceAll("\\([^()]*\\)", " ").strip(); // a comment, as in "quoted-printable (x)"
    }

    /**
     * Decodes a quoted-printable body line by line (RFC 2045 §6.7): trailing white space dropped,
     * {@code =XX} decoded, a final {@code =} a soft line break; a malformed {@code =} is kept as it
     * is. Records whether the decoded form is valid 8bit text.
     */
    static final class Decoder extends ContentFilter {
        private final int maxLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        private long decodedColumn;
        private boolean pendingCr;
        boolean valid = true;

        Decoder(InputStream in, int maxLine) {
            super(in);
            this.maxLine = maxLine;
        }

        @Override
        void content(int b) {
            line.write(b);
        }

        @Override
        void lineEnd() {
            decodeLine(true);
        }

        @Override
        void end(boolean partialLine) {
            if (partialLine) {
                decodeLine(false);
            }
            if (pendingCr) {
                valid = false;
                out('\r');
                pendingCr = false;
            }
        }

        private void decodeLine(boolean hadLineEnd) {
            byte[] b = line.toByteArray();
            line.reset();
            int end = b.length;
            while (end > 0 && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
                end--;
            }
            boolean soft = end > 0 && b[end - 1] == '=';
            if (soft) {
                end--;
            }
            for (int i = 0; i < end; i++) {
                int c = b[i] & 0xFF;
                if (c == '=' && hex(b, i + 1, end) >= 0) {
                    decoded(hex(b, i + 1, end));
                    i += 2;
                } else {
                    decoded(c);
                }
            }
            if (!soft && hadLineEnd) {
                if (pendingCr) { // "=0D" at the end of a line: a bare CR in the decoded text
                    valid = false;
                    out('\r');
                    pendingCr = false;
                }
                emitCrlf();
                decodedColumn = 0;
            }
        }

        /** One decoded octet: a decoded CRLF is a line end; a lone CR or LF or a NUL is not valid 8bit. */
        private void decoded(int c) {
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    emitCrlf();
                    decodedColumn = 0;
                    return;
                }
                valid = false;
                out('\r');
            }
            if (c == '\r') {
                pendingCr = true;
                return;
            }
            if (c == '\n' || c == 0) {
                valid = false;
            }
            out(c);
        }

        private void out(int c) {
            emit(c);
            if (++decodedColumn > maxLine) {
                valid = false;
            }
        }

        /** The octet written as two hex digits at {@code b[i..i+1]}, within {@code end}; -1 if not hex. */
        private static int hex(byte[] b, int i, int end) {
            if (i + 1 >= end) {
                return -1;
            }
            int hi = Character.digit(b[i], 16);
            int lo = Character.digit(b[i + 1], 16);
            return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
        }
    }
}
