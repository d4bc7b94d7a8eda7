package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code postern.limits.idle-timeout} (no bytes for too long) and {@code command-timeout} (one
 * command, payload included, taking too long even though bytes keep trickling in): both end the
 * session with 421 4.4.2 and a close, and a message cut short is not spooled.
 */
@TestPropertySource(properties = {
        "postern.limits.idle-timeout=1500ms",
        "postern.limits.command-timeout=2s",
})
class TimeoutScenarioTest extends PosternTest {

    @Test
    void idleClientIsDisconnected() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            long start = System.nanoTime();
            Reply timeout = client.read();
            long elapsed = millisSince(start);
            assertReply(timeout, 421, "4.4.2");
            assertThat(elapsed).isBetween(1_300L, 4_000L);
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    @Test
    void idleClientIsDisconnectedBeforeEhloToo() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            long start = System.nanoTime();
            Reply timeout = client.read();
            assertReply(timeout, 421, null); // before EHLO: no enhanced status codes
            assertThat(timeout.text()).startsWith("Timeout");
            assertThat(millisSince(start)).isBetween(1_300L, 4_000L);
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    @Test
    void commandTrickledByteByByteHitsTheCommandTimeout() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            long start = System.nanoTime();
            Thread trickler = trickle(client, "NOOP " + "x".repeat(40) + "\r\n");
            try {
                Reply timeout = client.read();
                long elapsed = millisSince(start);
                assertReply(timeout, 421, "4.4.2");
                // Bytes arrived every 500 ms, so the idle timeout (1.5 s) never fired: this is the 2 s
                // command deadline, long before the trickled line would have been complete (20 s).
                assertThat(elapsed).isBetween(1_800L, 4_000L);
                assertThat(client.readToEnd()).isEmpty();
            } finally {
                trickler.interrupt();
                trickler.join();
            }
        }
    }

    @Test
    void messageContentTrickledByteByByteHitsTheCommandTimeout() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<slow@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            long start = System.nanoTime();
            Thread trickler = trickle(client, "Subject: slow\r\n\r\n" + "body ".repeat(20) + "\r\n.\r\n");
            try {
                Reply timeout = client.read();
                assertReply(timeout, 421, "4.4.2");
                assertThat(millisSince(start)).isBetween(1_800L, 4_000L);
                assertThat(client.readToEnd()).isEmpty();
            } finally {
                trickler.interrupt();
                trickler.join();
            }
        }
        awaitNoSessions();
        assertThat(queued()).isEqualTo(before);
        assertThat(spoolTmpFiles()).isEmpty();
    }

    @Test
    void clientSilentDuringDataIsDisconnectedAndNothingIsSpooled() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<silent@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: half a message\r\n\r\nand then nothing");
            assertReply(client.read(), 421, "4.4.2");
            assertThat(client.readToEnd()).isEmpty();
        }
        awaitNoSessions();
        assertThat(queued()).isEqualTo(before);
        assertThat(spoolTmpFiles()).isEmpty();
    }

    @Test
    void clientThatNeverStartsTheTlsHandshakeIsDisconnected() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            long start = System.nanoTime();
            // The server waits for a ClientHello that never comes; it cannot answer in plain text now.
            assertThat(client.readToEnd()).isEmpty();
            assertThat(millisSince(start)).isBetween(1_000L, 4_000L);
        }
        awaitNoSessions();
    }

    /** Sends one byte every 500 ms on a virtual thread until done, interrupted, or the server closes. */
    private static Thread trickle(SmtpTestClient client, String text) {
        return Thread.ofVirtual().start(() -> {
            try {
                for (byte b : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                    client.send(new byte[] {b});
                    Thread.sleep(500);
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection, or the test is over
            }
        });
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }
}
