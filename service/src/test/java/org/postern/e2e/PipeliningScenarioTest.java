package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import org.junit.jupiter.api.Test;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;

/**
 * PIPELINING (RFC 2920): a client writes whole batches of commands at once, and even the content of
 * one message followed by the next transaction's commands; the server answers each command, in
 * order, and keeps the transactions apart.
 */
class PipeliningScenarioTest extends PosternTest {

    @Test
    void envelopeCommandsInOneWriteAreAnsweredInOrder() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("MAIL FROM:<batch@example.com>\r\n"
                    + "RCPT TO:<one@example.net>\r\n"
                    + "RCPT TO:<two@example.org>\r\n"
                    + "DATA\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 354, null);

            // The first message's content, its end, and the whole second transaction: one write.
            client.send("Subject: first\r\n\r\nfirst body\r\n.\r\n"
                    + "MAIL FROM:<second@example.com>\r\n"
                    + "RCPT TO:<three@example.net>\r\n"
                    + "DATA\r\n"
                    + "Subject: second\r\n\r\nsecond body\r\n.\r\n"
                    + "QUIT\r\n");
            Reply first = client.read();
            assertReply(first, 250, "2.0.0");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 354, null);
            Reply second = client.read();
            assertReply(second, 250, "2.0.0");
            assertReply(client.read(), 221, "2.0.0");
            assertThat(client.isClosedByServer()).isTrue();

            String firstId = SmtpTestClient.queueId(first);
            String secondId = SmtpTestClient.queueId(second);
            assertThat(firstId).isNotEqualTo(secondId);

            Envelope one = spool.read(firstId).envelope();
            assertThat(one.sender().toString()).isEqualTo("batch@example.com");
            assertThat(recipients(one))
                    .containsExactly("one@example.net", "two@example.org");
            assertThat(content(firstId)).endsWith("\r\nSubject: first\r\n\r\nfirst body\r\n")
                    .doesNotContain("MAIL FROM", "second");

            Envelope two = spool.read(secondId).envelope();
            assertThat(two.sender().toString()).isEqualTo("second@example.com");
            assertThat(recipients(two)).containsExactly("three@example.net");
            assertThat(content(secondId)).endsWith("\r\nSubject: second\r\n\r\nsecond body\r\n")
                    .doesNotContain("first");
        }
    }

    @Test
    void failedCommandsInABatchDoNotDerailTheOthers() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("MAIL FROM:<batch@example.com>\r\n"
                    + "RCPT TO:<bad address>\r\n"
                    + "RCPT TO:<good@example.net>\r\n"
                    + "DATA\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 501, "5.1.3");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 354, null);
            client.send("Subject: one good recipient\r\n\r\nbody\r\n.\r\n");
            String id = SmtpTestClient.queueId(client.read());
            assertThat(recipients(spool.read(id).envelope()))
                    .containsExactly("good@example.net");
        }
    }

    @Test
    void dataAfterOnlyRejectedRecipientsIsRefusedAndTheContentIsNotTakenAsCommands() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            var before = queued();
            client.send("MAIL FROM:<batch@example.com>\r\n"
                    + "RCPT TO:<>\r\n"
                    + "DATA\r\n"
                    + "NOOP\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 501, "5.1.3");
            assertReply(client.read(), 503, "5.5.1");
            assertReply(client.read(), 250, "2.0.0");
            assertThat(queued()).isEqualTo(before);
        }
    }

    @Test
    void rsetAndNoopPipelinedWithATransaction() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            var before = queued();
            client.send("NOOP\r\n"
                    + "MAIL FROM:<abandoned@example.com>\r\n"
                    + "RCPT TO:<x@example.net>\r\n"
                    + "RSET\r\n"
                    + "NOOP\r\n"
                    + "RCPT TO:<y@example.net>\r\n" // no transaction after RSET
                    + "MAIL FROM:<kept@example.com>\r\n"
                    + "RCPT TO:<z@example.net>\r\n"
                    + "NOOP\r\n"
                    + "DATA\r\n");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            Reply reset = client.read();
            assertReply(reset, 250, "2.0.0");
            assertThat(reset.text()).contains("Reset");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 503, "5.5.1");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 250, "2.1.5");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 354, null);
            client.send("Subject: kept\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\n");
            String id = SmtpTestClient.queueId(client.read());
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 250, "2.0.0");

            assertThat(queued()).hasSize(before.size() + 1).contains(id);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.sender().toString()).isEqualTo("kept@example.com");
            assertThat(recipients(envelope)).containsExactly("z@example.net");
            assertThat(envelopes()).noneMatch(e -> e.sender().toString().equals("abandoned@example.com"));
        }
    }

    @Test
    void manyMessagesInOneWrite() throws Exception {
        StringBuilder batch = new StringBuilder();
        int messages = 20;
        for (int i = 0; i < messages; i++) {
            batch.append("MAIL FROM:<bulk").append(i).append("@example.com>\r\n")
                    .append("RCPT TO:<r").append(i).append("@example.net>\r\n")
                    .append("DATA\r\n")
                    .append("Subject: ").append(i).append("\r\n\r\nbody ").append(i).append("\r\n.\r\n");
        }
        try (SmtpTestClient client = connectEhlo()) {
            client.send(batch.toString());
            for (int i = 0; i < messages; i++) {
                assertReply(client.read(), 250, "2.1.0");
                assertReply(client.read(), 250, "2.1.5");
                assertReply(client.read(), 354, null);
                String id = SmtpTestClient.queueId(client.read());
                assertThat(spool.read(id).envelope().sender().toString()).isEqualTo("bulk" + i + "@example.com");
                assertThat(content(id)).endsWith("\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n");
            }
            assertReply(client.command("QUIT"), 221, "2.0.0");
        }
    }
}
