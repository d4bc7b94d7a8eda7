package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.smtp.SmtpReply;

/** Reply parsing: multi-line replies, enhanced status codes, and the limits that protect the client. */
class ReplyReaderTest {

    private static ReplyReader reader(String wire) {
        return new ReplyReader(new Socket(), new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsMultiLineRepliesAndSplitsOffTheEnhancedCode() throws IOException {
        ReplyReader r = reader("550-5.1.1 no such\r\n550 5.1.1 user here\r\n250 ok\r\n");
        SmtpReply first = r.read(Duration.ofSeconds(1), true);
        assertThat(first.code()).isEqualTo(550);
        assertThat(first.enhanced()).isEqualTo("5.1.1");
        assertThat(first.lines()).containsExactly("no such", "user here");
        assertThat(r.read(Duration.ofSeconds(1), true)).isEqualTo(new SmtpReply(250, null, List.of("ok")));
    }

    @Test
    void takesAnEnhancedCodeOnlyWhenOfferedAndOfTheSameClass() throws IOException {
        assertThat(reader("450 5.1.1 mismatch\r\n").read(Duration.ofSeconds(1), true).enhanced()).isNull();
        SmtpReply notOffered = reader("550 5.1.1 x\r\n").read(Duration.ofSeconds(1), false);
        assertThat(notOffered.enhanced()).isNull();
        assertThat(notOffered.lines()).containsExactly("5.1.1 x");
        assertThat(reader("250\r\n").read(Duration.ofSeconds(1), true).lines()).containsExactly("");
    }

    @Test
    void malformedOrOversizedRepliesAreProtocolErrors() {
        assertThatThrownBy(() -> reader("hello\r\n").read(Duration.ofSeconds(1), true))
                .isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> reader("250-a\r\n251 b\r\n").read(Duration.ofSeconds(1), true))
                .isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> reader("250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n").read(Duration.ofSeconds(1), true))
                .isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> reader("250-x\r\n".repeat(ReplyReader.MAX_LINES + 1) + "250 y\r\n")
                .read(Duration.ofSeconds(1), true)).isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> reader("250-x\r\n").read(Duration.ofSeconds(1), true))
                .isInstanceOf(java.io.EOFException.class);
    }
}
