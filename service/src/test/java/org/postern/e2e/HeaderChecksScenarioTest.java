package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.TestMailReceiver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Header checks at DATA and at BDAT LAST ({@code HSubject: $>CheckSubject}, {@code H*: $>CheckAll}):
 * a reject answers 550 5.7.1 with the configured text and stores nothing; a discard answers 250
 * and delivers nothing; comments are removed before checking unless {@code $>+} is used.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.headers[0]=HSubject: $>CheckSubject",
        "postern.headers[1]=HX-Mailer: $>+CheckMailer",
        "postern.headers[2]=H*: $>CheckAll",
        "postern.header-checks.CheckSubject[0].regex=(?i)\\\\bviagra\\\\b",
        "postern.header-checks.CheckSubject[0].text=Spam rejected",
        "postern.header-checks.CheckMailer[0].regex=\\\\(spamware\\\\)",
        "postern.header-checks.CheckMailer[0].text=Mail sent by spamware is not accepted here",
        "postern.header-checks.CheckAll[0].regex=^<[^@]+@trusted\\\\.test>$",
        "postern.header-checks.CheckAll[0].action=ok",
        "postern.header-checks.CheckAll[1].regex=silently drop",
        "postern.header-checks.CheckAll[1].action=discard",
})
class HeaderChecksScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    private double received(String outcome) {
        var counter = meters.find("postern.messages.received").tags("listener", "MTA", "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRejectAtDataAnswers550WithTheTextAndStoresNothing() throws Exception {
        Set<String> before = queued();
        double rejected = received("rejected_header");
        try (SmtpTestClient client = connectEhlo()) {
            Reply reply = client.sendMessage("app@sender.test", List.of("to@example.net"),
                    "From: app@sender.test\r\nSubject: cheap Viagra here\r\n\r\nbody\r\n");
            assertReply(reply, 550, "5.7.1");
            assertThat(reply.text()).isEqualTo("5.7.1 Spam rejected");
            assertNothingStoredSince(before, "Subject: cheap Viagra here");
            assertThat(spoolTmpFiles()).isEmpty();
            // The session goes on: the next message is accepted.
            assertReply(client.sendMessage("app@sender.test", List.of("to@example.net"),
                    "Subject: fine\r\n\r\nbody\r\n"), 250, "2.0.0");
        }
        assertThat(received("rejected_header")).isEqualTo(rejected + 1);
    }

    @Test
    void aRejectAtBdatLastToo() throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<app@sender.test>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<to@example.net>"), 250, "2.1.5");
            // The Subject comes in the first chunk, the rest later: the check waits for the last.
            byte[] first = "Subject: buy viagra\r\n".getBytes(StandardCharsets.US_ASCII);
            client.send("BDAT " + first.length + "\r\n");
            client.send(first);
            assertReply(client.read(), 250, "2.0.0");
            byte[] last = "\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            client.send("BDAT " + last.length + " LAST\r\n");
            client.send(last);
            Reply reply = client.read();
            assertReply(reply, 550, "5.7.1");
            assertThat(reply.text()).isEqualTo("5.7.1 Spam rejected");
            assertNothingStoredSince(before, "Subject: buy viagra");
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
    }

    @Test
    void commentsAreRemovedUnlessThePlusFormIsUsed() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            // $>: "(viagra)" is a comment, removed before the check.
            assertReply(client.sendMessage("app@sender.test", List.of("to@example.net"),
                    "Subject: hello (viagra)\r\n\r\nbody\r\n"), 250, "2.0.0");
            // $>+: the comment is what the check looks for.
            Reply reply = client.sendMessage("app@sender.test", List.of("to@example.net"),
                    "X-Mailer: Bulk 1.0 (spamware)\r\nSubject: s\r\n\r\nbody\r\n");
            assertReply(reply, 550, "5.7.1");
            assertThat(reply.text()).isEqualTo("5.7.1 Mail sent by spamware is not accepted here");
        }
    }

    @Test
    void aDiscardAnswers250AndNothingIsDelivered() throws Exception {
        Set<String> before = queued();
        double discarded = received("discarded");
        try (SmtpTestClient client = connectEhlo()) {
            // Checked by the default ruleset (X-Note has none of its own).
            Reply reply = client.sendMessage("app@sender.test", List.of("gone@example.net"),
                    "X-Note: silently drop\r\nSubject: s\r\n\r\nbody\r\n");
            assertReply(reply, 250, "2.0.0");
            assertThat(reply.text()).startsWith("2.0.0 OK queued as ");
            assertNothingStoredSince(before, "X-Note: silently drop");
            assertThat(spoolTmpFiles()).isEmpty();
        }
        assertThat(received("discarded")).isEqualTo(discarded + 1);
        // A message sent after it is delivered; the discarded one never is.
        String id = send("app@sender.test", List.of("kept@example.net"), "X-Note: keep\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> !receiver.messagesFor("kept@example.net").isEmpty(),
                "the next message");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(receiver.messagesFor("gone@example.net")).isEmpty();
    }

    @Test
    void anOkEndsTheRulesetForThatHeader() throws Exception {
        String id = send("app@sender.test", List.of("ok@example.net"),
                "X-Note: <silently drop@trusted.test>\r\nX-Other: fine\r\n\r\nbody\r\n");
        assertThat(spool.read(id).envelope().recipients()).hasSize(1);
    }

    /**
     * Nothing new reached the spool: earlier tests' messages may leave it meanwhile (they are
     * delivered to the receiver), so compare with what was there, and look at the receiver too.
     */
    private void assertNothingStoredSince(Set<String> before, String headerLine) throws IOException {
        assertThat(queued()).isSubsetOf(before);
        assertThat(receiver.messages()).noneMatch(m -> new String(m.data(), StandardCharsets.ISO_8859_1)
                .contains(headerLine + "\r\n"));
    }
}
