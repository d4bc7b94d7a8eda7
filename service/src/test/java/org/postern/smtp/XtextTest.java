package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3461 xtext, as ENVID and ORCPT must be written: printable ASCII except "+" and "=", and "+XX" hex escapes. */
class XtextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "rfc822;user@example.com", "a+2Bb", "+2B", "+3D+20+7F", "!~",
            "QQ+2B314159", "+00+FF"})
    void validXtext(String s) {
        assertThat(Xtext.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=b", "a b", "+", "+2", "ab+", "ab+2", "+2b", "+g0", "+ 2B", "\u007f", "\u0000",
            "tab\there", "j\u00f6rg", "\u00e9", "line\r\n"})
    void invalidXtext(String s) {
        assertThat(Xtext.isValid(s)).isFalse();
    }

    @Test
    void decodesPlusHexOctetsAsUtf8() {
        assertThat(Xtext.decode("rfc822;john+2Bdoe@example.com")).isEqualTo("rfc822;john+doe@example.com");
        assertThat(Xtext.decode("rfc822;j+C3+B6rg@example.net")).isEqualTo("rfc822;jörg@example.net");
        assertThat(Xtext.decode("rfc822;plain@example.com")).isEqualTo("rfc822;plain@example.com");
        assertThat(Xtext.decode(null)).isNull();
    }
}
