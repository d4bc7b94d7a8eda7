package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The content filters mailer flags and fields ask for, each on its own, byte for byte. */
class ContentFiltersTest {

    private static String run(Function<InputStream, InputStream> filter, String in) throws IOException {
        try (InputStream out = filter.apply(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)))) {
            return new String(out.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads one byte at a time, so chunk boundaries fall everywhere. */
    private static String runBytewise(Function<InputStream, InputStream> filter, String in) throws IOException {
        InputStream trickle = new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        try (InputStream out = filter.apply(trickle)) {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = out.read()) >= 0) {
                s.append((char) c);
            }
            return s.toString();
        }
    }

    // ---- L= ----

    @Test
    void lineLimitBreaksAsSendmailsPutxline() throws IOException {
        Function<InputStream, InputStream> l10 = in -> new LineLimiter(in, 10);
        // exactly the limit fits
        assertThat(run(l10, "0123456789\r\n")).isEqualTo("0123456789\r\n");
        // one more: limit-1 octets and '!', then a space and the rest
        assertThat(run(l10, "0123456789A\r\n")).isEqualTo("012345678!\r\n 9A\r\n");
        // every piece is exactly the limit long until the rest fits
        assertThat(run(l10, "abcdefghijklmnopqrstuvwxyz0\r\n"))
                .isEqualTo("abcdefghi!\r\n jklmnopq!\r\n rstuvwxy!\r\n z0\r\n");
        // a continuation that exactly fits is not broken again
        assertThat(run(l10, "abcdefghijklmnopqr\r\n")).isEqualTo("abcdefghi!\r\n jklmnopqr\r\n");
        assertThat(run(l10, "short\r\n\r\nbody\r\n")).isEqualTo("short\r\n\r\nbody\r\n");
        assertThat(runBytewise(l10, "abcdefghijklmnopqrstuvwxyz0")).isEqualTo("abcdefghi!\r\n jklmnopq!\r\n rstuvwxy!\r\n z0");
        for (String line : run(in -> new LineLimiter(in, 990), "x".repeat(5000) + "\r\n").split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(990);
        }
    }

    @Test
    void lineLimitFoldsLongHeadersIntoContinuationLines() throws IOException {
        assertThat(run(in -> new LineLimiter(in, 12), "Subject: a long subject\r\n\r\nb\r\n"))
                .isEqualTo("Subject: a !\r\n long subje!\r\n ct\r\n\r\nb\r\n");
    }

    // ---- E ----

    @Test
    void fromAtTheStartOfABodyLineIsEscaped() throws IOException {
        Function<InputStream, InputStream> e = FromEscaper::new;
        assertThat(run(e, "Subject: x\r\n\r\nFrom here\r\nnot From\r\nFrom\r\nFromage\r\nFrom \r\n"))
                .isEqualTo("Subject: x\r\n\r\n>From here\r\nnot From\r\nFrom\r\nFromage\r\n>From \r\n");
        assertThat(runBytewise(e, "A: b\r\n\r\nFrom me")).isEqualTo("A: b\r\n\r\n>From me");
        assertThat(run(e, "A: b\r\n\r\nFro")).isEqualTo("A: b\r\n\r\nFro");
    }

    @Test
    void headerLinesAreNotEscaped() throws IOException {
        assertThat(run(FromEscaper::new, "From x\r\nSubject: y\r\n\r\n")).isEqualTo("From x\r\nSubject: y\r\n\r\n");
    }

    // ---- b ----

    @Test
    void aBlankLineIsEnsuredAtTheEnd() throws IOException {
        Function<InputStream, InputStream> b = BlankLineEnder::new;
        assertThat(run(b, "A: b\r\n\r\ntext\r\n")).isEqualTo("A: b\r\n\r\ntext\r\n\r\n");
        assertThat(run(b, "A: b\r\n\r\ntext\r\n\r\n")).isEqualTo("A: b\r\n\r\ntext\r\n\r\n");
        assertThat(run(b, "A: b\r\n\r\ntext")).isEqualTo("A: b\r\n\r\ntext\r\n\r\n");
    }

    // ---- 1, 6, 7 ----

    @Test
    void nulsAreDropped() throws IOException {
        assertThat(run(NulStripper::new, "A: b\r\n\r\nx\0y\0\r\n")).isEqualTo("A: b\r\n\r\nxy\r\n");
    }

    @Test
    void eighthBitIsStrippedEverywhereOrInHeadersOnly() throws IOException {
        String in = "Subject: caf\u00e9\r\n\r\ncaf\u00e9\r\n";
        assertThat(run(s -> new EightBitStripper(s, false), in)).isEqualTo("Subject: cafi\r\n\r\ncafi\r\n");
        assertThat(run(s -> new EightBitStripper(s, true), in)).isEqualTo("Subject: cafi\r\n\r\ncaf\u00e9\r\n");
    }

    @Test
    void bareLineEndsBecomeCrlf() throws IOException {
        assertThat(run(NulStripper::new, "a\nb\rc\r\n")).isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test
    void optionsChainTheFiltersInSendmailsOrder() throws IOException {
        ContentOptions all = new ContentOptions(10, true, true, true, true);
        assertThat(run(in -> all.apply(in, false), "Subject: \u00e9\r\n\r\nFrom 0123456789\r\nx\0")).isEqualTo(
                "Subject: i\r\n\r\n>From 0123!\r\n 456789\r\nx\r\n\r\n");
        assertThat(run(in -> ContentOptions.NONE.apply(in, true), "A: \u00e9\r\n\r\n\u00e9\r\n"))
                .isEqualTo("A: i\r\n\r\ni\r\n");
    }
}
