package org.postern.smtp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postern.smtp.Mime8to7Headers.ContentType;
import org.postern.smtp.Mime8to7Headers.Field;

/**
 * Converts an 8-bit message to 7 bits for a next hop that does not offer 8BITMIME (RFC 6152 §3),
 * the way sendmail's {@code mime8to7} does: each leaf part holding 8-bit octets is re-encoded,
 * text as quoted-printable and anything else as base64, and its Content-Transfer-Encoding replaced.
 *
 * <ul>
 * <li>Multiparts are walked by boundary, nested to any depth up to {@link #MAX_DEPTH};
 *     {@code message/rfc822} parts are converted as messages of their own, since RFC 2046 §5.2.1
 *     forbids encoding them. A composite entity labelled {@code 8bit} or {@code binary} is
 *     relabelled {@code 7bit}, which its converted content then is.</li>
 * <li>A part whose Content-Transfer-Encoding is {@code 7bit}, {@code 8bit}, {@code binary} or
 *     absent is encoded only if it really holds an 8-bit octet; one declared {@code 8bit} or
 *     {@code binary} that does not is relabelled {@code 7bit}. Parts already quoted-printable or
 *     base64 (or in an unknown encoding) pass through byte for byte.</li>
 * <li>A message without MIME fields (no MIME-Version, Content-Type or Content-Transfer-Encoding)
 *     and with an 8-bit body gets {@code MIME-Version: 1.0}, {@code Content-Type: text/plain;
 *     charset=utf-8} ({@code unknown-8bit} when the body is not UTF-8) and a quoted-printable body.</li>
 * <li>Unstructured header fields with 8-bit text are RFC 2047 encoded; others are left alone (see
 *     {@link Mime8to7Headers}). Preambles and epilogues, which MIME readers ignore, have any 8-bit
 *     octet replaced by {@code ?}.</li>
 * <li>A message without 8-bit octets comes out byte for byte as it went in.</li>
 * </ul>
 *
 * <p>Whether a part needs encoding decides its header, so a part's body is read ahead into a
 * {@link Mime8to7Spill} (heap, then a temporary file) until its first 8-bit octet or its end,
 * then the header is written and the rest streams through the encoder. Memory stays bounded: one
 * header block ({@link #MAX_HEADER_BLOCK}), 64 KiB of look-ahead and line chunks of 8 KiB.
 * Input lines end in CRLF; a bare LF is taken as a line end too, and the last line may lack one.
 */
public final class Mime8to7 {

    /** Multipart and message/rfc822 nesting followed before giving up, as Postfix's mime_nesting_limit. */
    static final int MAX_DEPTH = 100;
    /** Octets of one entity's header block held while its body is examined. */
    static final int MAX_HEADER_BLOCK = 1024 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * What a mailer may change in the conversion.
     *
     * @param fallbackCharset the charset named for 8-bit text that is not UTF-8 and has none of its
     *                        own (a message without MIME, an unstructured header): sendmail's mailer
     *                        field {@code C=}; {@code unknown-8bit} (RFC 1428) by default
     * @param ebcdicSafe      quoted-printable also encodes {@code !"#$@[\]^`{|}~}, which do not map
     *                        cleanly between ASCII and EBCDIC (RFC 2045 §6.7 note; mailer flag {@code 3})
     */
    public record Options(String fallbackCharset, boolean ebcdicSafe) {
        public static final Options DEFAULT = new Options("unknown-8bit", false);

        public Options {
            if (fallbackCharset == null || fallbackCharset.isBlank()) {
                fallbackCharset = "unknown-8bit";
            }
            if (!fallbackCharset.matches("[A-Za-z0-9!#$%&'+\\-^_`{}~]+")) {
                throw new IllegalArgumentException("'" + fallbackCharset + "' is not a MIME charset name");
            }
        }
    }

    private final LineReader reader;
    private final OutputStream out;
    private final Path tempDirectory;
    private final Options options;
    /** Boundaries of the enclosing multiparts, innermost last. */
    private final List<byte[]> boundaries = new ArrayList<>();

    private Mime8to7(InputStream in, OutputStream out, Path tempDirectory, Options options) {
        this.reader = new LineReader(in);
        this.out = out;
        this.tempDirectory = tempDirectory;
        this.options = options;
    }

    /** Converts {@code in} to {@code out}, with temporary files in {@code java.io.tmpdir}. Closes neither. */
    public static void convert(InputStream in, OutputStream out) throws IOException {
        convert(in, out, null);
    }

    /**
     * Converts {@code in} to {@code out}. Closes neither stream.
     *
     * @param tempDirectory where look-ahead spills large parts; null for {@code java.io.tmpdir}
     * @throws Mime8to7Exception when the message is beyond the converter's bounds (permanent)
     */
    public static void convert(InputStream in, OutputStream out, Path tempDirectory) throws IOException {
        convert(in, out, tempDirectory, Options.DEFAULT);
    }

    /** As {@link #convert(InputStream, OutputStream, Path)}, with a mailer's {@link Options}. */
    public static void convert(InputStream in, OutputStream out, Path tempDirectory, Options options)
            throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 16 * 1024);
        new Mime8to7(in, buffered, tempDirectory, options).entity(true, ContentType.TEXT_PLAIN, 0);
        buffered.flush();
    }

    /** The converted message as a stream; see {@link #converting(InputStream, Path)}. */
    public static InputStream converting(InputStream in) throws IOException {
        return converting(in, null);
    }

    /**
     * The converted message as a stream, for a sender that pulls its content. The conversion runs
     * now, into a buffer that spills to a temporary file past 64 KiB: simpler than a pull parser
     * (the converter would have to be turned inside out) at the cost of one temporary copy of a
     * large message. Closing the stream deletes the file; {@code in} is read to its end, not closed.
     */
    public static InputStream converting(InputStream in, Path tempDirectory) throws IOException {
        return converting(in, tempDirectory, Options.DEFAULT);
    }

    /** As {@link #converting(InputStream, Path)}, with a mailer's {@link Options}. */
    public static InputStream converting(InputStream in, Path tempDirectory, Options options) throws IOException {
        Mime8to7Spill buffer = new Mime8to7Spill(tempDirectory);
        try {
            convert(in, buffer, tempDirectory, options);
            return buffer.toInputStream();
        } catch (IOException | RuntimeException e) {
            buffer.close();
            throw e;
        }
    }

    /**
     * Converts one entity, headers and body, which ends at an enclosing boundary (left unread for
     * the caller) or at the end of input.
     *
     * @param message whether this is a message (top level or message/rfc822) rather than a body part
     */
    private void entity(boolean message, ContentType defaultType, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new Mime8to7Exception("MIME nesting deeper than " + MAX_DEPTH);
        }
        Mime8to7Headers headers = readHeaders();
        if (message && !headers.hasMimeFields()) {
            leaf(headers, ContentType.TEXT_PLAIN, null, true);
            return;
        }
        ContentType type = headers.contentType(defaultType);
        String cte = headers.transferEncoding();
        boolean identity = cte == null || cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary");
        boolean relabel = cte != null && (cte.equals("8bit") || cte.equals("binary"));
        if (identity && type.type().equals("multipart") && type.boundary() != null) {
            writeHeaders(headers, relabel ? "7bit" : null, message, false);
            multipart(type, depth);
        } else if (identity && (type.is("message", "rfc822") || type.is("message", "news"))) {
            writeHeaders(headers, relabel ? "7bit" : null, message, false);
            entity(true, ContentType.TEXT_PLAIN, depth + 1);
        } else if (identity) {
            leaf(headers, type, cte, message);
        } else {
            writeHeaders(headers, null, message, false);
            copyBody(false);
        }
    }

    private void multipart(ContentType type, int depth) throws IOException {
        byte[] boundary = type.boundary().getBytes(StandardCharsets.ISO_8859_1);
        // RFC 2046 §5.1.5: in a digest a part without Content-Type is a message.
        ContentType childDefault = type.subtype().equals("digest")
                ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
        boundaries.add(boundary);
        try {
            while (reader.next()) {
                int match = reader.matchBoundary(boundaries);
                if (match == LineReader.NO_MATCH) {
                    writeSanitized(); // preamble
                    continue;
                }
                if (Math.abs(match) - 1 != boundaries.size() - 1) {
                    reader.unread(); // an enclosing multipart's boundary: this one was never closed
                    return;
                }
                out.write(reader.buf, 0, reader.length);
                if (match < 0) {
                    break; // close delimiter; the epilogue follows
                }
                entity(false, childDefault, depth + 1);
            }
        } finally {
            boundaries.remove(boundaries.size() - 1);
        }
        copyBody(true); // epilogue, up to an enclosing boundary
    }

    /**
     * A discrete part (or a message without MIME) whose encoding is identity: read ahead until the
     * first 8-bit octet, or, when a charset must be chosen for a message without MIME, to the end.
     */
    private void leaf(Mime8to7Headers headers, ContentType type, String cte, boolean message) throws IOException {
        boolean nonMime = message && !headers.hasMimeFields();
        try (Mime8to7Spill ahead = new Mime8to7Spill(tempDirectory)) {
            Mime8to7Utf8 utf8 = nonMime ? new Mime8to7Utf8() : null;
            boolean eightBit = false;
            boolean atBoundary = false;
            boolean ended = false;
            while (true) {
                if (!reader.next()) {
                    ended = true;
                    break;
                }
                if (reader.matchBoundary(boundaries) != LineReader.NO_MATCH) {
                    reader.unread();
                    atBoundary = true;
                    ended = true;
                    break;
                }
                ahead.write(reader.buf, 0, reader.length);
                if (utf8 != null) {
                    utf8.update(reader.buf, 0, reader.length);
                }
                if (reader.eightBit) {
                    eightBit = true;
                    if (!nonMime) {
                        break;
                    }
                }
            }
            if (!eightBit) {
                boolean relabel = cte != null && (cte.equals("8bit") || cte.equals("binary"));
                writeHeaders(headers, relabel ? "7bit" : null, message, false);
                try (InputStream replay = ahead.openInputStream()) {
                    replay.transferTo(out);
                }
                return;
            }
            boolean text = type.type().equals("text");
            if (nonMime) {
                String charset = utf8.isValid() ? "utf-8" : options.fallbackCharset();
                writeHeaders(headers, null, false, true, true);
                out.write(("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + charset
                        + "\r\nContent-Transfer-Encoding: quoted-printable\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
            } else {
                writeHeaders(headers, text ? "quoted-printable" : "base64", message, true);
            }
            Mime8to7Encoder encoder = text || nonMime
                    ? new Mime8to7Encoder.QuotedPrintable(out, options.ebcdicSafe()) : new Mime8to7Encoder.Base64Lines(out);
            try (InputStream replay = ahead.openInputStream()) {
                LineReader again = new LineReader(replay);
                while (again.next()) {
                    encoder.line(again.buf, again.contentLength, again.length);
                }
            }
            while (!ended) {
                if (!reader.next()) {
                    break;
                }
                if (reader.matchBoundary(boundaries) != LineReader.NO_MATCH) {
                    reader.unread();
                    atBoundary = true;
                    break;
                }
                encoder.line(reader.buf, reader.contentLength, reader.length);
            }
            encoder.finish(atBoundary);
        }
    }

    /** Copies body lines as they are up to an enclosing boundary or the end; sanitized for a preamble or epilogue. */
    private void copyBody(boolean sanitize) throws IOException {
        while (reader.next()) {
            if (reader.matchBoundary(boundaries) != LineReader.NO_MATCH) {
                reader.unread();
                return;
            }
            if (sanitize) {
                writeSanitized();
            } else {
                out.write(reader.buf, 0, reader.length);
            }
        }
    }

    /** Writes the current line with 8-bit octets as {@code ?}: text MIME readers ignore must still be 7-bit. */
    private void writeSanitized() throws IOException {
        if (reader.eightBit) {
            for (int i = 0; i < reader.length; i++) {
                if (reader.buf[i] < 0) {
                    reader.buf[i] = '?';
                }
            }
        }
        out.write(reader.buf, 0, reader.length);
    }

    private Mime8to7Headers readHeaders() throws IOException {
        Mime8to7Headers headers = new Mime8to7Headers();
        ByteArrayOutputStream field = null;
        while (reader.next()) {
            if (reader.startsLine && reader.contentLength == 0 && reader.length > 0) {
                headers.separator = Arrays.copyOf(reader.buf, reader.length);
                break;
            }
            if (reader.startsLine && reader.matchBoundary(boundaries) != LineReader.NO_MATCH) {
                reader.unread(); // a part without a body, or without even the empty line
                break;
            }
            headers.size += reader.length;
            if (headers.size > MAX_HEADER_BLOCK) {
                throw new Mime8to7Exception("header block larger than " + MAX_HEADER_BLOCK + " octets");
            }
            boolean continuation = !reader.startsLine || reader.buf[0] == ' ' || reader.buf[0] == '\t';
            if (!continuation || field == null) {
                if (field != null) {
                    headers.fields.add(Field.of(field.toByteArray()));
                }
                field = new ByteArrayOutputStream(Math.max(80, reader.length));
            }
            field.write(reader.buf, 0, reader.length);
        }
        if (field != null) {
            headers.fields.add(Field.of(field.toByteArray()));
        }
        return headers;
    }

    private void writeHeaders(Mime8to7Headers headers, String newCte, boolean message, boolean bodyFollows)
            throws IOException {
        writeHeaders(headers, newCte, message, bodyFollows, false);
    }

    /**
     * Writes a header block: raw fields, unstructured 8-bit ones RFC 2047 encoded, the
     * Content-Transfer-Encoding replaced by (or, if absent, followed by) {@code newCte} when given,
     * and MIME-Version added to a message that changed without one. {@code bodyFollows} writes the
     * empty line even when the input's block ended without one, as before an encoded body; with
     * {@code noSeparator} the caller adds fields and the empty line itself.
     */
    private void writeHeaders(Mime8to7Headers headers, String newCte, boolean message, boolean bodyFollows,
            boolean noSeparator) throws IOException {
        boolean replaced = false;
        // The last field lacks a line end when the input ended right after it; one is added only
        // if something follows, so such a 7-bit message still comes out unchanged.
        boolean unterminated = false;
        for (Field f : headers.fields) {
            if (newCte != null && f.name().equals("content-transfer-encoding")) {
                if (!replaced) {
                    out.write(("Content-Transfer-Encoding: " + newCte + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    replaced = true;
                }
                continue;
            }
            if (f.eightBit() && Mime8to7Headers.isUnstructured(f.name())) {
                out.write(Mime8to7Headers.encodeUnstructured(f, options.fallbackCharset()));
                unterminated = false;
            } else {
                out.write(f.raw());
                unterminated = f.raw()[f.raw().length - 1] != '\n';
            }
        }
        boolean more = newCte != null || noSeparator || headers.separator.length > 0 || bodyFollows;
        if (unterminated && more) {
            out.write(CRLF);
        }
        if (newCte != null && !replaced) {
            out.write(("Content-Transfer-Encoding: " + newCte + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (newCte != null && message && headers.find("mime-version") == null) {
            out.write("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (noSeparator) {
            return;
        }
        if (headers.separator.length > 0) {
            out.write(headers.separator);
        } else if (bodyFollows) {
            out.write(CRLF);
        }
    }

    /**
     * Reads input as lines (up to and including LF) in chunks of at most {@link #MAX_CHUNK} octets,
     * so a line of any length costs bounded memory. One chunk can be pushed back.
     */
    static final class LineReader {
        static final int MAX_CHUNK = 8192;
        static final int NO_MATCH = 0;

        private final InputStream in;
        private final byte[] input = new byte[32 * 1024];
        private int inputPos;
        private int inputLimit;
        private boolean eof;

        final byte[] buf = new byte[MAX_CHUNK + 1];
        /** Octets in the chunk, line end included. */
        int length;
        /** Octets before the line end; equals length when the chunk does not end the line. */
        int contentLength;
        /** Whether the chunk is the start of a line (not the rest of a long one). */
        boolean startsLine;
        boolean eightBit;
        private boolean nextStartsLine = true;
        private boolean replay;

        LineReader(InputStream in) {
            this.in = in;
        }

        void unread() {
            replay = true;
        }

        boolean next() throws IOException {
            if (replay) {
                replay = false;
                return true;
            }
            startsLine = nextStartsLine;
            length = 0;
            eightBit = false;
            int b;
            while (length < MAX_CHUNK && (b = read()) >= 0) {
                buf[length++] = (byte) b;
                if (b >= 0x80) {
                    eightBit = true;
                }
                if (b == '\n') {
                    break;
                }
            }
            if (length == MAX_CHUNK && buf[length - 1] == '\r' && peek() == '\n') {
                buf[length++] = (byte) read(); // keep a CRLF together across the chunk limit
            }
            if (length == 0) {
                return false;
            }
            if (buf[length - 1] == '\n') {
                contentLength = length >= 2 && buf[length - 2] == '\r' ? length - 2 : length - 1;
                nextStartsLine = true;
            } else {
                contentLength = length;
                nextStartsLine = false;
            }
            return true;
        }

        /**
         * Whether this chunk is a boundary line of one of the multiparts (RFC 2046 §5.1.1: "--",
         * the boundary, "--" for the close delimiter, then optional whitespace): 0 for none, else
         * the boundary's index plus one, negated for a close delimiter. The innermost match wins.
         */
        int matchBoundary(List<byte[]> boundaries) {
            if (!startsLine || contentLength < 2 || buf[0] != '-' || buf[1] != '-' || length == MAX_CHUNK) {
                return NO_MATCH;
            }
            for (int k = boundaries.size() - 1; k >= 0; k--) {
                byte[] bd = boundaries.get(k);
                if (contentLength < 2 + bd.length || !Arrays.equals(buf, 2, 2 + bd.length, bd, 0, bd.length)) {
                    continue;
                }
                int i = 2 + bd.length;
                boolean close = contentLength >= i + 2 && buf[i] == '-' && buf[i + 1] == '-';
                if (close) {
                    i += 2;
                }
                while (i < contentLength && (buf[i] == ' ' || buf[i] == '\t')) {
                    i++;
                }
                if (i == contentLength) {
                    return close ? -(k + 1) : k + 1;
                }
            }
            return NO_MATCH;
        }

        private int read() throws IOException {
            if (inputPos == inputLimit && !fill()) {
                return -1;
            }
            return input[inputPos++] & 0xFF;
        }

        private int peek() throws IOException {
            if (inputPos == inputLimit && !fill()) {
                return -1;
            }
            return input[inputPos] & 0xFF;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n;
            do {
                n = in.read(input, 0, input.length);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                inputPos = inputLimit = 0;
                return false;
            }
            inputPos = 0;
            inputLimit = n;
            return true;
        }
    }
}
