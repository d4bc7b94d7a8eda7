package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code postern.limits.max-message-size} (RFC 1870 SIZE): advertised in EHLO, checked against the
 * declared SIZE at MAIL, and enforced on the content actually received, with 552 5.3.4 after the
 * final dot; the refused message leaves nothing behind and the session stays usable.
 */
@TestPropertySource(properties = "postern.limits.max-message-size=10KB")
class SizeLimitScenarioTest extends PosternTest {

    @Test
    void ehloAdvertisesTheLimit() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            assertThat(client.ehlo("client.test").lines()).contains("SIZE 10240");
        }
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<a@b.c> SIZE=20000"), 552, "5.3.4");
            assertReply(client.command("MAIL FROM:<a@b.c> SIZE=10241"), 552, "5.3.4");
            assertReply(client.command("MAIL FROM:<a@b.c> SIZE=999999999999999999"), 552, "5.3.4");
            assertReply(client.command("MAIL FROM:<a@b.c> SIZE=10240"), 250, "2.1.0");
            assertReply(client.command("RSET"), 250, "2.0.0");
            assertReply(client.command("MAIL FROM:<a@b.c> SIZE=ten"), 501, "5.5.4");
        }
    }

    @Test
    void contentOverTheLimitIsRefusedAfterTheDotAndTheSessionGoesOn() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            // SIZE not declared (or declared too small): the content itself is measured.
            assertReply(client.command("MAIL FROM:<big@example.com> SIZE=100"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send(body(20_000) + ".\r\n");
            assertReply(client.read(), 552, "5.3.4");
            assertThat(queued()).isEqualTo(before);
            assertThat(spoolTmpFiles()).isEmpty();

            // A message of exactly the limit goes through in the same session.
            Reply queued = client.sendMessage("fits@example.com", List.of("r@example.net"), body(10_240));
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            assertThat(clientContent(id)).isEqualTo(body(10_240));
            assertThat(queued()).hasSize(before.size() + 1);

            // One byte more does not.
            assertReply(client.sendMessage("over@example.com", List.of("r@example.net"), body(10_241)), 552, "5.3.4");
            assertThat(queued()).hasSize(before.size() + 1);
            assertReply(client.command("QUIT"), 221, "2.0.0");
        }
        assertThat(envelopes()).noneMatch(e -> e.sender().toString().equals("big@example.com")
                || e.sender().toString().equals("over@example.com"));
    }

    @Test
    void dotStuffingDoesNotCountTowardsTheSize() throws Exception {
        // 10240 bytes once un-stuffed: every line starts with a dot that the client doubled.
        StringBuilder unstuffed = new StringBuilder();
        while (unstuffed.length() + 50 <= 10_240) {
            unstuffed.append(".").append("x".repeat(47)).append("\r\n");
        }
        unstuffed.append("y".repeat(10_240 - unstuffed.length() - 2)).append("\r\n");
        String stuffed = unstuffed.toString().replace("\r\n.", "\r\n..").replaceFirst("^\\.", "..");
        try (SmtpTestClient client = connectEhlo()) {
            Reply queued = client.sendMessage("stuffed@example.com", List.of("r@example.net"), stuffed);
            assertReply(queued, 250, "2.0.0");
            assertThat(clientContent(SmtpTestClient.queueId(queued))).isEqualTo(unstuffed.toString());
        }
    }

    /** Exactly {@code size} bytes (at least 3) of content: 78-character lines with CRLF, the last one shorter. */
    static String body(int size) {
        StringBuilder b = new StringBuilder(size);
        while (size - b.length() > 82) {
            b.append("z".repeat(78)).append("\r\n");
        }
        return b.append("w".repeat(size - b.length() - 2)).append("\r\n").toString();
    }
}
