package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Dot-stuffing and line-end normalisation of outbound DATA, byte for byte. */
class DotStufferTest {

    private static String stuff(String content) throws IOException {
        return stuff(new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String stuff(InputStream content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = new DotStuffer(out).transfer(content);
        assertThat(n).isEqualTo(out.size());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stuffsDotsAtLineStartsIncludingTheFirstLine() throws IOException {
        assertThat(stuff(".first\r\nmiddle.dot\r\n..two\r\n.\r\n")).isEqualTo("..first\r\nmiddle.dot\r\n...two\r\n..\r\n.\r\n");
    }

    @Test
    void bareLfAndBareCrBecomeCrlfSoNoHiddenTerminatorSurvives() throws IOException {
        // the smuggling payloads: <LF>.<LF>, <LF>.<CR><LF>, <CR>.<CR>
        assertThat(stuff("a\n.\nMAIL FROM:<x@y>\n")).isEqualTo("a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n");
        assertThat(stuff("a\n.\r\nb\r\n")).isEqualTo("a\r\n..\r\nb\r\n.\r\n");
        assertThat(stuff("a\r.\rb")).isEqualTo("a\r\n..\r\nb\r\n.\r\n");
        assertThat(stuff("a\r\r\nb\r\n")).isEqualTo("a\r\n\r\nb\r\n.\r\n");
    }

    @Test
    void addsTheMissingFinalLineEnd() throws IOException {
        assertThat(stuff("no newline")).isEqualTo("no newline\r\n.\r\n");
        assertThat(stuff("ends with cr\r")).isEqualTo("ends with cr\r\n.\r\n");
        assertThat(stuff("")).isEqualTo(".\r\n");
        assertThat(stuff("x\r\n")).isEqualTo("x\r\n.\r\n");
    }

    @Test
    void stateCarriesAcrossReadsOfOneByte() throws IOException {
        String content = "x\r\n.y\r\r\n.\n.";
        InputStream trickle = new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        assertThat(stuff(trickle)).isEqualTo(stuff(content)).isEqualTo("x\r\n..y\r\n\r\n..\r\n..\r\n.\r\n");
    }
}
