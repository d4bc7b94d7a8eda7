package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.e2e.SmugglingPayloads.LEGIT_SENDER;
import static org.postern.e2e.SmugglingPayloads.SPOOFED_SENDER;
import static org.postern.e2e.SmugglingPayloads.VICTIM;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * SMTP smuggling with {@code postern.smtp.bare-line-endings=normalize}: bare CR and LF are accepted
 * and stored as CRLF, but only a real CRLF "." CRLF ends the data, so every smuggling payload ends
 * up as content of the one legitimate message, never as a second message.
 */
@TestPropertySource(properties = "postern.smtp.bare-line-endings=normalize")
class SmugglingNormalizeScenarioTest extends PosternTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.postern.e2e.SmugglingPayloads#variants")
    void smuggledTransactionBecomesContentOfTheFirstMessage(String name, String endOfData, boolean bare)
            throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<rcpt@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send(SmugglingPayloads.payload(endOfData));

            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            // Exactly one reply to the whole payload: the next one is QUIT's.
            assertReply(client.command("QUIT"), 221, "2.0.0");
            assertThat(client.readToEnd()).isEmpty();

            assertThat(queued()).hasSize(before.size() + 1).contains(id);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.sender().toString()).isEqualTo(LEGIT_SENDER);
            assertThat(recipients(envelope)).containsExactly("rcpt@example.net");
            String content = clientContent(id);
            assertThat(content).startsWith(SmugglingPayloads.FIRST_CONTENT)
                    .contains("MAIL FROM:<" + SPOOFED_SENDER + ">\r\nRCPT TO:<" + VICTIM + ">\r\nDATA\r\n")
                    .endsWith("smuggled body\r\n");
            assertThat(content.replace("\r\n", "")).as("every line ending stored as CRLF").doesNotContain("\r", "\n");
        }
        for (Envelope e : envelopes()) {
            assertThat(e.sender().toString()).isNotEqualTo(SPOOFED_SENDER);
            assertThat(recipients(e)).doesNotContain(VICTIM);
        }
    }

    @Test
    void bareLineFeedEndsACommandLine() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("NOOP\nMAIL FROM:<" + LEGIT_SENDER + ">\n");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 250, "2.1.0");
        }
    }
}
