package org.postern.spool;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of header values: a value's UTF-8 bytes, with every byte outside the visible
 * ASCII range 0x21-0x7E and each of {@code % < > @ , =} written as {@code %XX} (upper-case hex).
 * The result is visible ASCII without spaces, so a header line splits safely on spaces and an
 * address splits on its one raw {@code @}; CR, LF, NUL and any UTF-8 round-trip exactly.
 */
final class FieldEncoding {

    private static final String SPECIALS = "%<>@,=";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FieldEncoding() {
    }

    /** Encodes {@code value}; fails for a string that is not valid Unicode (a lone surrogate). */
    static String encode(String value) throws CharacterCodingException {
        ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(value));
        StringBuilder out = new StringBuilder(value.length() + 8);
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xFF;
            if (b > 0x20 && b < 0x7F && SPECIALS.indexOf(b) < 0) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
            }
        }
        return out.toString();
    }

    /** Decodes an encoded value; fails on a raw byte that the encoder never writes or on bad UTF-8. */
    static String decode(String encoded) throws QuarantineException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hexDigit(encoded.charAt(i + 2)) : -1;
                if (lo < 0) {
                    throw new QuarantineException("bad percent escape in value: " + encoded);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7F && SPECIALS.indexOf(c) < 0) {
                out.write(c);
            } else {
                throw new QuarantineException("unencoded character in value: " + encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new QuarantineException("value is not UTF-8: " + encoded);
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10; // tolerated for hand-edited files; the encoder writes upper case
        }
        return -1;
    }
}
