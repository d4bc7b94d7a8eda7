package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

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
}
