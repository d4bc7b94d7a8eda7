package org.postern.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header block of one entity as {@link Mime8to7} sees it: raw fields kept byte for byte, the
 * few MIME fields it needs parsed (RFC 2045 Content-Type and Content-Transfer-Encoding), and RFC
 * 2047 encoding of unstructured fields that carry 8-bit text.
 *
 * <p>Only unstructured fields are encoded: Subject, Comments, Content-Description, Organization,
 * Thread-Topic and extension {@code X-} fields. Structured fields (addresses, Content-Type
 * parameters, Message-ID, ...) keep their 8-bit bytes: encoding them needs a parser per field and
 * getting one wrong corrupts the field, while a next hop without 8BITMIME will usually still accept
 * it. A message whose headers are ASCII, the normal case, therefore leaves fully 7-bit.
 */
final class Mime8to7Headers {

    private static final Set<String> UNSTRUCTURED = Set.of(
            "subject", "comments", "content-description", "organization", "thread-topic");
    /** RFC 2047 §2: an encoded-word is at most 75 characters, a line holding one at most 76. */
    private static final int MAX_ENCODED_WORD = 75;
    private static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** One field: its raw lines with their line ends, and its name in lower case. */
    record Field(byte[] raw, String name, boolean eightBit) {

        static Field of(byte[] raw) {
            int colon = indexOf(raw, (byte) ':');
            String name = colon < 0 ? "" : new String(raw, 0, colon, StandardCharsets.ISO_8859_1).strip()
                    .toLowerCase(Locale.ROOT);
            boolean eightBit = false;
            for (byte b : raw) {
                if (b < 0) {
                    eightBit = true;
                    break;
                }
            }
            return new Field(raw, name, eightBit);
        }

        /** The unfolded field body after the colon, without the final line end. */
        String value() {
            int colon = indexOf(raw, (byte) ':');
            return new String(unfold(raw, colon + 1), StandardCharsets.ISO_8859_1);
        }
    }

    final List<Field> fields = new ArrayList<>();
    /** The empty line that ended the block, as read; empty when the block ended at a boundary or EOF. */
    byte[] separator = new byte[0];
    long size;

    Field find(String lowerCaseName) {
        for (Field f : fields) {
            if (f.name.equals(lowerCaseName)) {
                return f;
            }
        }
        return null;
    }

    boolean hasMimeFields() {
        return find("mime-version") != null || find("content-type") != null
                || find("content-transfer-encoding") != null;
    }

    /** The Content-Transfer-Encoding mechanism in lower case, or null when absent. */
    String transferEncoding() {
        Field f = find("content-transfer-encoding");
        if (f == null) {
            return null;
        }
        String v = stripComments(f.value()).strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < v.length() && !Character.isWhitespace(v.charAt(end)) && v.charAt(end) != ';') {
            end++;
        }
        return v.substring(0, end);
    }

    ContentType contentType(ContentType defaultType) {
        Field f = find("content-type");
        if (f == null) {
            return defaultType;
        }
        ContentType ct = ContentType.parse(f.value());
        // RFC 2045 §5.2: a Content-Type that cannot be parsed means text/plain; charset=us-ascii.
        return ct == null ? ContentType.TEXT_PLAIN : ct;
    }

    static boolean isUnstructured(String lowerCaseName) {
        return UNSTRUCTURED.contains(lowerCaseName) || lowerCaseName.startsWith("x-");
    }

    /** A parsed Content-Type: lower-case type and subtype, and the two parameters the converter uses. */
    record ContentType(String type, String subtype, String boundary, String charset) {

        static final ContentType TEXT_PLAIN = new ContentType("text", "plain", null, null);
        static final ContentType MESSAGE_RFC822 = new ContentType("message", "rfc822", null, null);

        boolean is(String t, String s) {
            return type.equals(t) && subtype.equals(s);
        }

        /** RFC 2045 §5.1 syntax, tolerating comments; null when there is no type/subtype. */
        static ContentType parse(String value) {
            Scanner s = new Scanner(value);
            String type = s.token();
            if (type == null || !s.consume('/')) {
                return null;
            }
            String subtype = s.token();
            if (subtype == null) {
                return null;
            }
            String boundary = null;
            String charset = null;
            while (s.consume(';')) {
                String name = s.token();
                if (name == null || !s.consume('=')) {
                    continue; // an empty or malformed parameter; RFC 2045 readers skip them
                }
                String v = s.quotedOrToken();
                if (v == null) {
                    continue;
                }
                if (name.equalsIgnoreCase("boundary")) {
                    boundary = v;
                } else if (name.equalsIgnoreCase("charset")) {
                    charset = v;
                }
            }
            return new ContentType(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT),
                    boundary == null || boundary.isEmpty() ? null : boundary, charset);
        }
    }

    /** A cursor over a structured field body: tokens, quoted strings, specials, skipping CFWS. */
    private static final class Scanner {
        private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
        private final String s;
        private int i;

        Scanner(String s) {
            this.s = s;
        }

        private void skipCfws() {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (depth > 0 && c == '\\') {
                    i += 2;
                } else if (c == '(') {
                    depth++;
                    i++;
                } else if (depth > 0 && c == ')') {
                    depth--;
                    i++;
                } else if (depth > 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else {
                    return;
                }
            }
        }

        boolean consume(char c) {
            skipCfws();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        String token() {
            skipCfws();
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c <= ' ' || c == 127 || TSPECIALS.indexOf(c) >= 0) {
                    break;
                }
                i++;
            }
            return i > start ? s.substring(start, i) : null;
        }

        String quotedOrToken() {
            skipCfws();
            if (i < s.length() && s.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                i++;
                return b.toString();
            }
            return token();
        }
    }

    private static String stripComments(String v) {
        StringBuilder b = new StringBuilder(v.length());
        int depth = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The field rewritten with its 8-bit text as RFC 2047 Q encoded-words: UTF-8 when the bytes are
     * valid UTF-8, else {@code fallbackCharset} ({@code unknown-8bit}, RFC 1428, unless a mailer's
     * {@code C=} names another). Leading and trailing ASCII words stay
     * readable; the span from the first to the last 8-bit word is encoded, whitespace and all, so a
     * decoder gives back the same text. Lines are folded before each encoded-word that would pass 76.
     */
    static byte[] encodeUnstructured(Field field) {
        return encodeUnstructured(field, "unknown-8bit");
    }

    static byte[] encodeUnstructured(Field field, String fallbackCharset) {
        byte[] raw = field.raw();
        int colon = indexOf(raw, (byte) ':');
        byte[] value = unfold(raw, colon + 1);
        int first = -1;
        int last = -1;
        for (int i = 0; i < value.length; i++) {
            if (value[i] < 0) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return raw;
        }
        while (first > 0 && !isWsp(value[first - 1])) {
            first--;
        }
        while (last + 1 < value.length && !isWsp(value[last + 1])) {
            last++;
        }
        String charset = Mime8to7Utf8.isValid(value, first, last + 1) ? "UTF-8" : fallbackCharset;
        int prefixEnd = first;
        byte separator = ' ';
        if (prefixEnd > 0 && isWsp(value[prefixEnd - 1])) {
            separator = value[prefixEnd - 1]; // folding goes in front of this whitespace
            prefixEnd--;
        }
        int column = colon + 1 + prefixEnd;
        // The first word is cut to fill what is left of the first line, unless hardly anything is.
        int firstRoom = MAX_LINE - column - 1 - overhead(charset);
        List<byte[]> words = encodedWords(value, first, last + 1, charset,
                firstRoom < 12 ? Integer.MAX_VALUE : firstRoom);

        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 3);
        out.write(raw, 0, colon + 1);
        out.write(value, 0, prefixEnd);
        for (byte[] word : words) {
            if (column + 1 + word.length > MAX_LINE && column > colon + 1) {
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            out.write(separator);
            out.write(word, 0, word.length);
            column += 1 + word.length;
            separator = ' ';
        }
        out.write(value, last + 1, value.length - last - 1);
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Q-encoded words (RFC 2047 §4.2) of value[from, to), never splitting a UTF-8 character. */
    private static List<byte[]> encodedWords(byte[] value, int from, int to, String charset, int firstRoom) {
        byte[] open = ("=?" + charset + "?Q?").getBytes(StandardCharsets.US_ASCII);
        int fullRoom = MAX_ENCODED_WORD - overhead(charset);
        int room = Math.min(firstRoom, fullRoom);
        List<byte[]> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        ByteArrayOutputStream unit = new ByteArrayOutputStream();
        int i = from;
        while (i < to) {
            int len = charset.equals("UTF-8") ? Mime8to7Utf8.sequenceLength(value[i]) : 1;
            unit.reset();
            for (int k = i; k < Math.min(i + len, to); k++) {
                qEncode(value[k] & 0xFF, unit);
            }
            if (word.size() + unit.size() > room && word.size() > 0) {
                words.add(closeWord(open, word));
                word.reset();
                room = fullRoom;
            }
            word.write(unit.toByteArray(), 0, unit.size());
            i += len;
        }
        if (word.size() > 0) {
            words.add(closeWord(open, word));
        }
        return words;
    }

    /** Characters of an encoded-word around its text: {@code =?charset?Q?} and {@code ?=}. */
    private static int overhead(String charset) {
        return charset.length() + 7;
    }

    private static void qEncode(int b, ByteArrayOutputStream out) {
        if (b == ' ') {
            out.write('_');
        } else if (b > 32 && b < 127 && b != '=' && b != '?' && b != '_') {
            out.write(b);
        } else {
            out.write('=');
            out.write(HEX[b >> 4]);
            out.write(HEX[b & 15]);
        }
    }

    private static byte[] closeWord(byte[] open, ByteArrayOutputStream text) {
        ByteArrayOutputStream w = new ByteArrayOutputStream(open.length + text.size() + 2);
        w.write(open, 0, open.length);
        w.write(text.toByteArray(), 0, text.size());
        w.write('?');
        w.write('=');
        return w.toByteArray();
    }

    /** The bytes from {@code from}, with folding line ends removed and the final line end dropped. */
    static byte[] unfold(byte[] raw, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = Math.max(from, 0); i < raw.length; i++) {
            byte b = raw[i];
            if (b != '\r' && b != '\n') {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
