package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * CHUNKING (RFC 3030): BDAT chunks are counted, not dot-terminated, so they are stored byte for byte
 * (no dot-unstuffing); a refused chunk is still read in full so the session stays in step; the
 * content checks (size, bare line endings) apply as they do to DATA.
 */
@TestPropertySource(properties = "postern.limits.max-message-size=4KB")
class ChunkingScenarioTest extends PosternTest {

    @Test
    void singleLastChunkIsStoredByteForByte() throws Exception {
        // Dots at line starts and a lone "." line mean nothing in BDAT; 8-bit bytes pass as they are.
        byte[] body = "Subject: chunk\r\n\r\n.\r\n..two dots\r\n.\r\ncaf\u00e9 \u2713\r\nno final newline"
                .getBytes(StandardCharsets.UTF_8);
        try (SmtpTestClient client = envelope("single@example.com")) {
            client.send(concat(("BDAT " + body.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII), body));
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            assertThat(clientContent(id).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(body);
            assertThat(spool.read(id).contentLength()).isEqualTo(content(id).length());
            assertThat(spool.read(id).envelope().sender().toString()).isEqualTo("single@example.com");
            assertThat(spool.read(id).envelope().protocol()).isEqualTo("ESMTP");
        }
    }

    @Test
    void chunksSentOneByOneAndPipelinedAreJoinedInOrder() throws Exception {
        try (SmtpTestClient client = envelope("several@example.com")) {
            client.send("BDAT 18\r\nSubject: parts\r\n\r\n");
            assertChunkAccepted(client.read(), 18);
            client.send("BDAT 6\r\nfirst ");
            assertChunkAccepted(client.read(), 6);
            // Two chunks, a zero-length one among them, in one write.
            client.send("BDAT 0\r\nBDAT 8\r\nsecond\r\n");
            assertChunkAccepted(client.read(), 0);
            assertChunkAccepted(client.read(), 8);
            client.send("BDAT 0 LAST\r\n");
            String id = SmtpTestClient.queueId(client.read());
            assertThat(clientContent(id)).isEqualTo("Subject: parts\r\n\r\nfirst second\r\n");
        }
    }

    @Test
    void crlfSplitBetweenChunksIsStoredAsCrlf() throws Exception {
        try (SmtpTestClient client = envelope("split@example.com")) {
            client.send("BDAT 7\r\nline 1\r");
            assertChunkAccepted(client.read(), 7); // the reply proves the server saw the chunks apart
            client.send("BDAT 9 LAST\r\n\nline 2\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            assertThat(clientContent(SmtpTestClient.queueId(queued))).isEqualTo("line 1\r\nline 2\r\n");
        }
    }

    @Test
    void bareCrAtTheEndOfTheLastChunkIsRejected() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = envelope("trailing-cr@example.com")) {
            client.send("BDAT 7 LAST\r\nline 1\r");
            assertReply(client.read(), 550, "5.6.0");
            assertThat(queued()).isEqualTo(before);
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
    }

    @Test
    void nextTransactionPipelinedAfterAChunk() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("MAIL FROM:<first@example.com>\r\n"
                    + "RCPT TO:<a@example.net>\r\n"
                    + "BDAT 13 LAST\r\n"
                    + "MAIL FROM:<x>" // 13 bytes of content that look like a command
                    + "MAIL FROM:<second@example.com>\r\n"
                    + "RCPT TO:<b@example.net>\r\n"
                    + "BDAT 5 LAST\r\n"
                    + "hello"
                    + "QUIT\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            String first = SmtpTestClient.queueId(client.read());
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            String second = SmtpTestClient.queueId(client.read());
            assertReply(client.read(), 221, "2.0.0");

            assertThat(spool.read(first).envelope().sender().toString()).isEqualTo("first@example.com");
            assertThat(clientContent(first)).isEqualTo("MAIL FROM:<x>");
            assertThat(spool.read(second).envelope().sender().toString()).isEqualTo("second@example.com");
            assertThat(clientContent(second)).isEqualTo("hello");
        }
    }

    @Test
    void chunkWithoutMailIsRefusedAndItsBytesAreConsumed() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            // If the 12 chunk bytes were read as commands, two NOOP replies would come before RSET's.
            client.send("BDAT 12\r\nNOOP\r\nNOOP\r\nRSET\r\n");
            assertReply(client.read(), 503, "5.5.1");
            Reply reset = client.read();
            assertReply(reset, 250, "2.0.0");
            assertThat(reset.text()).contains("Reset");

            client.send("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\nRSET\r\n");
            assertReply(client.read(), 503, "5.5.1");
            assertThat(client.read().text()).contains("Reset");
        }
    }

    @Test
    void chunkWithoutRecipientIsRefusedAndItsBytesAreConsumed() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<norcpt@example.com>"), 250, "2.1.0");
            client.send("BDAT 6\r\nNOOP\r\nRSET\r\n");
            assertReply(client.read(), 503, "5.5.1");
            assertThat(client.read().text()).contains("Reset");
        }
    }

    @Test
    void dataOrRcptAfterChunkingStartedIsOutOfSequence() throws Exception {
        try (SmtpTestClient client = envelope("mixed@example.com")) {
            client.send("BDAT 5\r\nhello");
            assertChunkAccepted(client.read(), 5);
            assertReply(client.command("DATA"), 503, "5.5.1");
            assertReply(client.command("RCPT TO:<late@example.net>"), 503, "5.5.1");
            client.send("BDAT 8 LAST\r\n world\r\n");
            String id = SmtpTestClient.queueId(client.read());
            assertThat(clientContent(id)).isEqualTo("hello world\r\n");
            assertThat(spool.read(id).envelope().recipients()).hasSize(1);
        }
    }

    @Test
    void chunkOverTheSizeLimitIsRefusedAndTheSessionGoesOn() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = envelope("big@example.com")) {
            byte[] big = lines(5000);
            client.send(concat("BDAT 5000 LAST\r\n".getBytes(StandardCharsets.US_ASCII), big));
            assertReply(client.read(), 552, "5.3.4");
            assertThat(queued()).isEqualTo(before);
            assertThat(spoolTmpFiles()).isEmpty();

            // The transaction is over; a new one within the limit (exactly 4 KiB) is accepted.
            assertReply(client.command("MAIL FROM:<small@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            client.send(concat("BDAT 4096 LAST\r\n".getBytes(StandardCharsets.US_ASCII), lines(4096)));
            String id = SmtpTestClient.queueId(client.read());
            assertThat(clientContent(id).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(lines(4096));
        }
    }

    @Test
    void sizeLimitCrossedInAMiddleChunkFailsTheRestOfTheTransaction() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = envelope("growing@example.com")) {
            client.send(concat("BDAT 3000\r\n".getBytes(StandardCharsets.US_ASCII), lines(3000)));
            assertChunkAccepted(client.read(), 3000);
            client.send(concat("BDAT 2000\r\n".getBytes(StandardCharsets.US_ASCII), lines(2000)));
            assertReply(client.read(), 552, "5.3.4");
            // Later chunks of the failed transaction are read and refused, not stored.
            client.send("BDAT 10 LAST\r\nNOOP\r\nNOOP");
            assertReply(client.read(), 503, "5.5.1");
            assertReply(client.command("MAIL FROM:<again@example.com>"), 250, "2.1.0");
            assertReply(client.command("RSET"), 250, "2.0.0");
            assertThat(queued()).isEqualTo(before);
            assertThat(spoolTmpFiles()).isEmpty();
        }
    }

    @Test
    void bareLineFeedInAChunkIsRejectedAndNothingIsSpooled() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = envelope("barelf@example.com")) {
            client.send("BDAT 25 LAST\r\nSubject: x\r\n\r\nline1\nline2");
            assertReply(client.read(), 550, "5.6.0");
            assertThat(queued()).isEqualTo(before);
            assertThat(spoolTmpFiles()).isEmpty();
            // The chunk's length kept the session in step.
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
        try (SmtpTestClient client = envelope("barelf2@example.com")) {
            client.send("BDAT 6\r\nline\n\r");
            assertReply(client.read(), 550, "5.6.0");
            client.send("BDAT 2 LAST\r\n\r\n");
            assertReply(client.read(), 503, "5.5.1");
            assertThat(queued()).isEqualTo(before);
        }
        assertThat(envelopes()).noneMatch(e -> e.sender().toString().startsWith("barelf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BDAT abc", "BDAT", "BDAT 10 NOTLAST", "BDAT -1 LAST", "BDAT 10 LAST extra"})
    void malformedBdatClosesTheConnection(String command) throws Exception {
        try (SmtpTestClient client = envelope("malformed@example.com")) {
            // Without a usable size the server cannot find the end of the chunk: it must not go on.
            client.send(command + "\r\nRSET\r\n");
            assertReply(client.read(), 501, "5.5.4");
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    /** Connects, says EHLO, and starts a transaction with one recipient. */
    private SmtpTestClient envelope(String sender) throws Exception {
        SmtpTestClient client = connectEhlo();
        assertReply(client.command("MAIL FROM:<" + sender + ">"), 250, "2.1.0");
        assertReply(client.command("RCPT TO:<rcpt@example.net>"), 250, "2.1.5");
        return client;
    }

    private static void assertChunkAccepted(Reply reply, int size) {
        assertReply(reply, 250, "2.0.0");
        assertThat(reply.text()).isEqualTo("2.0.0 " + size + " octets received");
    }

    /** Exactly {@code size} bytes of 63-character lines with CRLF. */
    private static byte[] lines(int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            int column = i % 65;
            out[i] = (byte) (column == 63 ? '\r' : column == 64 ? '\n' : 'a' + column % 26);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
