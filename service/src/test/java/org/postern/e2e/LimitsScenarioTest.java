package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-command and per-session limits of {@code postern.limits}, each with the reply a client
 * sees when it hits it: recipients per message, command line length, message line length, errors
 * per session, junk commands and messages per session. (Session counts and timeouts have their own scenarios.)
 */
@TestPropertySource(properties = {
        "postern.limits.max-recipients=2",
        "postern.limits.max-command-line-length=510",
        "postern.limits.max-data-line-length=100",
        "postern.limits.max-errors=3",
        "postern.limits.max-junk-commands=4",
        "postern.limits.max-messages-per-session=2",
})
class LimitsScenarioTest extends PosternTest {

    @Test
    void recipientsPastTheLimitAreDeferredAndTheMessageGoesToTheFirstOnes() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<many@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<one@example.net>"), 250, "2.1.5");
            assertReply(client.command("RCPT TO:<two@example.net>"), 250, "2.1.5");
            assertReply(client.command("RCPT TO:<three@example.net>"), 452, "4.5.3");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: two of three\r\n\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            assertThat(recipients(spool.read(SmtpTestClient.queueId(queued)).envelope()))
                    .containsExactly("one@example.net", "two@example.net");
        }
    }

    @Test
    void commandLinesLongerThanTheLimitAreRefusedAndConsumedWhole() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("NOOP " + "x".repeat(505)), 250, "2.0.0"); // 510 octets: at the limit
            assertReply(client.command("NOOP " + "x".repeat(506)), 500, "5.5.2");
            // A very long line is read to its end without being kept, and is one error, not many.
            Reply tooLong = client.command("MAIL FROM:<" + "a".repeat(200_000) + "@example.com>");
            assertReply(tooLong, 500, "5.5.2");
            assertThat(tooLong.text()).contains("too long");
            // The tail of the long line was not taken as a command; the session is in step.
            assertReply(client.command("MAIL FROM:<ok@example.com>"), 250, "2.1.0");
        }
    }

    @Test
    void messageLinesLongerThanTheLimitFailTheMessageAfterTheDot() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            // 100 octets (after un-stuffing) is allowed.
            String atLimit = "Subject: ok\r\n\r\n" + "y".repeat(100) + "\r\n." + "z".repeat(99) + "\r\n";
            Reply queued = client.sendMessage("lines@example.com", List.of("r@example.net"), atLimit.replace("\r\n.z", "\r\n..z"));
            assertReply(queued, 250, "2.0.0");
            assertThat(clientContent(SmtpTestClient.queueId(queued))).isEqualTo(atLimit);

            Reply refused = client.sendMessage("toolong@example.com", List.of("r@example.net"),
                    "Subject: long\r\n\r\n" + "y".repeat(101) + "\r\nmore text after it\r\n");
            assertReply(refused, 550, "5.6.0");
            assertThat(queued()).hasSize(before.size() + 1);
            assertThat(spoolTmpFiles()).isEmpty();
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
        assertThat(envelopes()).noneMatch(e -> e.sender().toString().equals("toolong@example.com"));
    }

    @Test
    void tooManyErrorsCloseTheSession() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("FROB"), 500, "5.5.2");
            assertReply(client.command("RCPT TO:<nomail@example.net>"), 503, "5.5.1");
            assertReply(client.command("FROB"), 500, "5.5.2");
            assertClosedForTooManyErrors(client);
        }
    }

    /** The next reply is the 421 for too many errors, and the server sends nothing after it. */
    private static void assertClosedForTooManyErrors(SmtpTestClient client) throws Exception {
        Reply closing = client.read();
        assertReply(closing, 421, "4.7.0");
        assertThat(closing.text()).contains("Too many errors");
        assertThat(client.readToEnd()).isEmpty();
    }

    @Test
    void errorsInAPipelinedBatchAreCountedAndTheRestIsNotRead() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("FROB\r\nFROB\r\nFROB\r\nNOOP\r\nNOOP\r\n");
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.read(), 421, "4.7.0");
            assertThat(client.readToEnd()).isEmpty();
        }
    }

    @Test
    void junkCommandsPastTheLimitCountAsErrorsUntilTheSessionCloses() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertReply(client.command("RSET"), 250, "2.0.0");
            assertThat(client.command("VRFY <someone@example.net>").code()).isIn(250, 252);
            assertReply(client.command("HELP"), 214, "2.0.0");
            // Four: at the limit. Each one past it is answered as usual but counts as an error.
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertClosedForTooManyErrors(client);
        }
    }

    @Test
    void anAcceptedMessageStartsTheJunkCountAgain() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            for (int round = 0; round < 2; round++) { // the message limit is 2
                for (int i = 0; i < 4; i++) {
                    assertReply(client.command("RSET"), 250, "2.0.0");
                }
                assertReply(client.sendMessage("busy@example.com", List.of("r@example.net"), "Subject: " + round),
                        250, "2.0.0");
            }
            // Four junk commands after each message, none of them an error: two real errors still leave it open.
            for (int i = 0; i < 4; i++) {
                assertReply(client.command("NOOP"), 250, "2.0.0");
            }
            assertReply(client.command("FROB"), 500, "5.5.2");
            assertReply(client.command("FROB"), 500, "5.5.2");
            assertReply(client.command("NOOP"), 250, "2.0.0"); // the fifth: the third error
            assertReply(client.read(), 421, "4.7.0");
        }
    }

    @Test
    void mailAfterTheMessageLimitClosesTheSession() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            for (int i = 0; i < 2; i++) {
                assertReply(client.sendMessage("session@example.com", List.of("r@example.net"), "Subject: " + i),
                        250, "2.0.0");
            }
            assertReply(client.command("NOOP"), 250, "2.0.0");
            Reply closing = client.command("MAIL FROM:<third@example.com>");
            assertReply(closing, 421, "4.7.0");
            assertThat(closing.text()).contains("Too many messages");
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(queued()).hasSize(before.size() + 2);
        // A new session may send again.
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.sendMessage("next@example.com", List.of("r@example.net"), "Subject: 3"), 250, "2.0.0");
        }
    }
}
