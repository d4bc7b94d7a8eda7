package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postern.macro.Macros;

/** The macros sendmail takes from the header: $a, $x, $c and ${msg_id}. */
class HeaderMacrosTest {

    @Test
    void fromTheHeader() {
        Macros m = HeaderMacros.of(HeaderChecksTest.block("Received: a\r\nReceived: b\r\nDate: Mon, 2 Jun 2025 10:00:00"
                + " +0000\r\nFrom: \"Doe, Ann\" <ann@example.com>\r\nMessage-Id: <x@y>\r\n\r\n"));
        assertThat(m.get("a")).isEqualTo("Mon, 2 Jun 2025 10:00:00 +0000");
        assertThat(m.get("x")).isEqualTo("Doe, Ann");
        assertThat(m.get("c")).isEqualTo("2");
        assertThat(m.get("msg_id")).isEqualTo("<x@y>");
    }

    @Test
    void postedDateWinsAndFullNameWinsOverFrom() {
        Macros m = HeaderMacros.of(HeaderChecksTest.block("Date: d\r\nPosted-Date: p\r\nFull-Name: Ann Example\r\n"
                + "From: Someone <s@example.com>\r\n\r\n"));
        assertThat(m.get("a")).isEqualTo("p");
        assertThat(m.get("x")).isEqualTo("Ann Example");
        assertThat(m.get("c")).isEqualTo("0");
    }

    @Test
    void fullNameFromTheFromField() {
        assertThat(HeaderMacros.fullName("ann@example.com (Ann Example)")).isEqualTo("Ann Example");
        assertThat(HeaderMacros.fullName("Ann Example <ann@example.com>")).isEqualTo("Ann Example");
        assertThat(HeaderMacros.fullName("\"Ann \\\"The\\\" Example\" <ann@example.com>")).isEqualTo("Ann \"The\" Example");
        assertThat(HeaderMacros.fullName("<ann@example.com>")).isNull();
        assertThat(HeaderMacros.fullName("ann@example.com")).isNull();
        assertThat(HeaderMacros.of(HeaderBlock.EMPTY).get("x")).isNull();
    }
}
