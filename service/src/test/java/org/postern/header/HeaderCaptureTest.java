package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Finding the header block in content that arrives in pieces, and reading it from a stream. */
class HeaderCaptureTest {

    @Test
    void theBlockEndsAtTheEmptyLineWhateverTheWriteBoundaries() {
        String message = "Received: x\r\n\ty\r\nSubject: hello\r\n world\r\n\r\nbody: not a header\r\n";
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= b.length; split++) {
            HeaderCapture c = new HeaderCapture(1024);
            c.write(b, 0, split);
            c.write(b, split, b.length - split);
            HeaderBlock block = c.block();
            assertThat(block.fields()).extracting(HeaderField::name).as("split at %d", split)
                    .containsExactly("Received", "Subject");
            assertThat(block.length()).isEqualTo(message.indexOf("\r\n\r\n") + 2);
            assertThat(c.done()).isTrue();
        }
    }

    @Test
    void aLineThatIsNoFieldStartsTheBody() {
        HeaderBlock block = capture("Subject: s\r\nthis is body\r\nX: y\r\n");
        assertThat(block.fields()).extracting(HeaderField::name).containsExactly("Subject");
        assertThat(capture("body first\r\nX: y\r\n").fields()).isEmpty();
        assertThat(capture(" continuation first\r\n").fields()).isEmpty();
        assertThat(capture("\r\nX: y\r\n").fields()).isEmpty();
    }

    @Test
    void aLastLineWithoutLineBreakCounts() {
        HeaderBlock block = capture("Subject: s\r\nX-Last: z");
        assertThat(block.fields()).extracting(HeaderField::toString).containsExactly("Subject: s", "X-Last: z");
        assertThat(block.length()).isEqualTo(21);
    }

    @Test
    void obsoleteSpaceBeforeTheColonIsAField() {
        assertThat(capture("Subject : s\r\n\r\n").fields()).extracting(HeaderField::name).containsExactly("Subject");
    }

    @Test
    void readsOnlyUpToTheLimit() throws IOException {
        String big = "X: " + "a".repeat(5000) + "\r\n\r\nbody";
        assertThat(HeaderBlock.read(new ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII)), 1000).complete())
                .isFalse();
        HeaderBlock ok = HeaderBlock.read(new ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII)), 10_000);
        assertThat(ok.complete()).isTrue();
        assertThat(ok.fields()).hasSize(1);
    }

    @Test
    void valuesDecodeAsUtf8() {
        assertThat(capture("Subject: Grüße\r\n\r\n").fields().get(0).value()).isEqualTo("Grüße");
    }

    private static HeaderBlock capture(String s) {
        HeaderCapture c = new HeaderCapture(4096);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        c.write(b, 0, b.length);
        return c.block();
    }
}
