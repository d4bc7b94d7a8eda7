package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import org.junit.jupiter.api.Test;

/** Header values: any Unicode string round-trips, and the encoded form is visible ASCII without spaces. */
class FieldEncodingTest {

    @Test
    void anyValueRoundTrips() throws Exception {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            every.append(c);
        }
        every.append("\uD83D\uDCE7 例え"); // a supplementary character and CJK
        for (String value : new String[] {"", " ", "%", "%41", "a b\r\nc\u0000", "\"quoted @ local\"", every.toString()}) {
            String encoded = FieldEncoding.encode(value);
            assertThat(encoded).matches("[\\x21-\\x7E]*").doesNotContain("@", "<", ">", ",", "=");
            assertThat(FieldEncoding.decode(encoded)).isEqualTo(value);
        }
        assertThat(FieldEncoding.encode("a b@c")).isEqualTo("a%20b%40c");
    }

    @Test
    void malformedInputIsRejected() {
        assertThatThrownBy(() -> FieldEncoding.encode("lone \uD800")).isInstanceOf(CharacterCodingException.class);
        for (String bad : new String[] {"%", "%4", "%GG", "a b", "a@b", "%C3", "%FF"}) {
            assertThatThrownBy(() -> FieldEncoding.decode(bad)).as(bad).isInstanceOf(QuarantineException.class);
        }
        assertThat(catchDecode("%c3%a9")).isEqualTo("é"); // lower-case hex from a hand edit is accepted
    }

    private static String catchDecode(String s) {
        try {
            return FieldEncoding.decode(s);
        } catch (QuarantineException e) {
            throw new AssertionError(e);
        }
    }
}
