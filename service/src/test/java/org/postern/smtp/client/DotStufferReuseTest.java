package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A connection's one stuffer writes each transaction exactly as a fresh one would: nothing of the
 * previous message (an unfinished line, a held CR, the octet count) carries over.
 */
class DotStufferReuseTest {

    @Test
    void eachTransferStartsAfresh() throws IOException {
        String[] messages = {"no final line end\r", ".dot first\r\nbody", "a\nb\r\n.\r\n", "", "x".repeat(40_000) + "\r\n.y"};
        ByteArrayOutputStream reused = new ByteArrayOutputStream();
        DotStuffer one = new DotStuffer(reused);
        for (String m : messages) {
            reused.reset();
            long n = one.transfer(stream(m));
            ByteArrayOutputStream fresh = new ByteArrayOutputStream();
            long expected = new DotStuffer(fresh).transfer(stream(m));
            assertThat(reused.toString(StandardCharsets.ISO_8859_1)).isEqualTo(fresh.toString(StandardCharsets.ISO_8859_1));
            assertThat(n).isEqualTo(expected).isEqualTo(fresh.size());
        }
        assertThat(one.writesTo(reused)).isTrue();
        assertThat(one.writesTo(new ByteArrayOutputStream())).isFalse();
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
