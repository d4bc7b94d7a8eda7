package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.e2e.SmugglingPayloads.LEGIT_SENDER;
import static org.postern.e2e.SmugglingPayloads.SPOOFED_SENDER;
import static org.postern.e2e.SmugglingPayloads.VICTIM;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;

/**
 * SMTP smuggling (CVE-2023-51764/51765/51766) against the default {@code bare-line-endings=reject},
 * beyond the published end-of-data variants (those are {@code org.postern.security.SmugglingVariantsTest},
 * DATA and BDAT, both modes): the real end of data split across writes, a bare LF split from the
 * text before it, a smuggling payload pipelined with the commands before it, and bare line endings,
 * NUL and invalid UTF-8 in command lines. In no case is the smuggled MAIL answered or a message
 * from the spoofed sender spooled.
 */
class SmugglingScenarioTest extends PosternTest {

    @AfterEach
    void nothingSmuggledIsEverSpooled() throws Exception {
        for (Envelope e : envelopes()) {
            assertThat(e.sender().toString()).isNotEqualTo(SPOOFED_SENDER);
            assertThat(recipients(e)).doesNotContain(VICTIM);
        }
    }

    /** The real end of data split across two TCP writes at every position is still the end. */
    @ParameterizedTest(name = "split after {0} octets")
    @ValueSource(ints = {1, 2, 3, 4})
    void endOfDataSplitAcrossWritesIsRecognised(int at) throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<rcpt@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            String end = "\r\n.\r\n";
            client.send("Subject: split\r\n\r\nline one\r");
            Thread.sleep(50);
            client.send("\nline two" + end.substring(0, at));
            Thread.sleep(50);
            client.send(end.substring(at) + "NOOP\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            assertThat(clientContent(SmtpTestClient.queueId(queued))).isEqualTo("Subject: split\r\n\r\nline one\r\nline two\r\n");
            assertReply(client.read(), 250, "2.0.0");
        }
    }

    /** A bare LF that arrives in a later write than the text before it is still bare. */
    @Test
    void bareLineFeedSplitAcrossWritesIsStillRefused() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<rcpt@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send(SmugglingPayloads.FIRST_CONTENT + "\r\n");
            Thread.sleep(50);
            client.send(".");
            Thread.sleep(50);
            client.send("\n" + SmugglingPayloads.SMUGGLED);
            assertReply(client.read(), 550, "5.6.0");
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(queued()).isEqualTo(before);
    }

    @Test
    void smugglingWithPipelinedCommandsAfterTheRealEnd() throws Exception {
        // The payload as a smuggling client sends it to a pipelining server: everything in one write.
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            client.send("MAIL FROM:<" + LEGIT_SENDER + ">\r\nRCPT TO:<rcpt@example.net>\r\nDATA\r\n"
                    + SmugglingPayloads.payload("\n.\r\n") + "QUIT\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 354, null);
            assertReply(client.read(), 550, "5.6.0");
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(queued()).isEqualTo(before);
    }

    @Test
    void bareLineFeedInACommandIsRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("NOOP\n");
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.command("NOOP"), 250, "2.0.0");

            // A bare LF does not end a command that is then executed: MAIL is refused as a whole.
            client.send("MAIL FROM:<" + SPOOFED_SENDER + ">\nRCPT TO:<" + VICTIM + ">\r\n");
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.read(), 503, "5.5.1"); // the fragment after the LF: there is no MAIL
            assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
        }
    }

    @Test
    void bareCarriageReturnInACommandIsRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("NOOP\rRSET\r\n");
            assertReply(client.read(), 500, "5.5.2");
            Reply noop = client.command("NOOP");
            assertReply(noop, 250, "2.0.0");
            assertThat(noop.text()).doesNotContain("Reset"); // RSET was not run as a command of its own
        }
    }

    @Test
    void nulOrInvalidUtf8InACommandIsRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("NOOP\0"), 500, "5.5.2");
            assertReply(client.command("MAIL FROM:<a\0b@example.com>"), 500, "5.5.2");
            client.send(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
    }
}
