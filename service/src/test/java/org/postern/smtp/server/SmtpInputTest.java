package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postern.smtp.Replies;
import org.postern.smtp.server.SmtpInput.LineProblem;

/**
 * Command lines from the client over a real loopback socket: strict CRLF, the length limit, UTF-8,
 * staying in step after a bad line, the idle and command timeouts, and replies flushed before waiting.
 */
class SmtpInputTest {

    @Test
    void pipelinedLinesAreReadOneAtATimeWithoutTheirLineEnding() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            pair.send("EHLO client.test\r\nMAIL FROM:<a@example.com>\r\n\r\n");
            assertThat(input.readLine(512, false)).isEqualTo("EHLO client.test");
            assertThat(input.readLine(512, false)).isEqualTo("MAIL FROM:<a@example.com>");
            assertThat(input.readLine(512, false)).isEmpty();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.NONE);
        }
    }

    @Test
    void lineOverTheLimitIsRefusedAndConsumedSoTheNextOneIsInStep() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(3);
            String max = "x".repeat(600);
            pair.send(max + "\r\n" + max + "y\r\nNOOP\r\n");
            assertThat(input.readLine(600, false)).isEqualTo(max);
            assertThat(input.readLine(600, false)).isNull();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.TOO_LONG);
            assertThat(input.readLine(600, false)).isEqualTo("NOOP");
            assertThat(input.lastProblem()).isEqualTo(LineProblem.NONE);
        }
    }

    @Test
    void bareLineEndingInACommandIsRefusedUnlessNormalising() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            pair.send("NOOP\nRSET\r\nNO\rOP\r\nQUIT\r\n");
            assertThat(input.readLine(512, false)).isNull();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.BARE_LINE_ENDING);
            assertThat(input.readLine(512, false)).isEqualTo("RSET");
            assertThat(input.readLine(512, false)).as("a bare CR never splits a command").isNull();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.BARE_LINE_ENDING);
            assertThat(input.readLine(512, false)).isEqualTo("QUIT");
        }
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            pair.send("NOOP\nRSET\r\n");
            assertThat(input.readLine(512, true)).isEqualTo("NOOP");
            assertThat(input.readLine(512, true)).isEqualTo("RSET");
        }
    }

    @Test
    void crlfSplitAcrossReadsIsOneLineEnding() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(1);
            pair.send("NOOP\r\nQUIT\r\n");
            assertThat(input.readLine(512, false)).isEqualTo("NOOP");
            assertThat(input.readLine(512, false)).isEqualTo("QUIT");
        }
    }

    @Test
    void utf8IsDecodedAndInvalidBytesOrNulAreRefused() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            pair.send("RCPT TO:<jörg@bücher.example>\r\n".getBytes(StandardCharsets.UTF_8));
            pair.send(new byte[] {'N', 'O', (byte) 0xC3, 'O', 'P', '\r', '\n'});
            pair.send(new byte[] {'N', 'O', 0, 'O', 'P', '\r', '\n'});
            pair.send("QUIT\r\n");
            assertThat(input.readLine(512, false)).isEqualTo("RCPT TO:<jörg@bücher.example>");
            assertThat(input.readLine(512, false)).isNull();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.INVALID_UTF8);
            assertThat(input.readLine(512, false)).isNull();
            assertThat(input.lastProblem()).isEqualTo(LineProblem.INVALID_UTF8);
            assertThat(input.readLine(512, false)).isEqualTo("QUIT");
        }
    }

    @Test
    void silentClientHitsTheIdleTimeout() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = new SmtpInput(pair.server, pair.server.getInputStream(), new SmtpOutput(pair.replies), 200);
            input.startCommandClock(60_000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> input.readLine(512, false)).isInstanceOf(SessionTimeoutException.class)
                    .hasMessage("idle timeout");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 5_000L);
        }
    }

    @Test
    void tricklingClientHitsTheCommandDeadlineThoughNeverIdle() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = new SmtpInput(pair.server, pair.server.getInputStream(), new SmtpOutput(pair.replies),
                    1_000);
            Thread trickler = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        pair.send("x");
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            input.startCommandClock(500);
            long start = System.nanoTime();
            assertThatThrownBy(() -> input.readLine(10_000, false)).isInstanceOf(SessionTimeoutException.class)
                    .hasMessage("command timeout");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 3_000L);
            trickler.interrupt();
            trickler.join(5_000);
        }
    }

    @Test
    void pendingRepliesAreFlushedBeforeWaitingForInput() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpOutput output = new SmtpOutput(pair.server.getOutputStream());
            SmtpInput input = new SmtpInput(pair.server, pair.server.getInputStream(), output, 10_000);
            input.startCommandClock(10_000);
            output.reply(Replies.NOOP_OK);
            output.reply(Replies.RESET_OK);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    input.readLine(512, false);
                } catch (IOException e) {
                    // the test is over
                }
            });
            pair.client.setSoTimeout(5_000);
            InputStream in = pair.client.getInputStream();
            byte[] expected = "250 OK\r\n250 Reset OK\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(in.readNBytes(expected.length)).as("replies sent while the server waits").isEqualTo(expected);
            pair.send("QUIT\r\n");
            reader.join(5_000);
        }
    }

    @Test
    void bytesPipelinedBehindACommandCanBeThrownAway() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            String injected = "MAIL FROM:<injected@example.com>\r\n";
            pair.send("STARTTLS\r\n" + injected);
            Thread.sleep(200); // both in the socket buffer, so the first read takes both
            assertThat(input.readLine(512, false)).isEqualTo("STARTTLS");
            assertThat(input.buffered()).isEqualTo(injected.length());
            input.discardBuffered();
            assertThat(input.buffered()).isZero();
            pair.send("EHLO again\r\n");
            assertThat(input.readLine(512, false)).isEqualTo("EHLO again");
        }
    }

    @Test
    void clientClosingIsAnEof() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            pair.send("NOO");
            pair.client.shutdownOutput();
            assertThatThrownBy(() -> input.readLine(512, false)).isInstanceOf(java.io.EOFException.class);
        }
    }
}
