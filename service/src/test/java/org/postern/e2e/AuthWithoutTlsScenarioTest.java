package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code postern.auth.allow-without-tls=true}: an administrator who accepts passwords in the clear
 * (say, on a private link) gets AUTH offered and working before any STARTTLS.
 */
@TestPropertySource(properties = {
        "postern.policy.relay-networks=127.0.0.2/32",
        "postern.auth.allow-without-tls=true",
})
class AuthWithoutTlsScenarioTest extends PosternTest {

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("postern.auth.users.alice", () -> StartTlsAuthScenarioTest.ALICE_HASH);
    }

    @Test
    void authIsOfferedAndWorksWithoutTls() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN", "STARTTLS");

            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
            assertReply(client.command("RSET"), 250, "2.0.0");

            assertReply(client.command("AUTH PLAIN " + StartTlsAuthScenarioTest.plain("", "alice", "wrong")),
                    535, "5.7.8");
            assertReply(client.command("AUTH PLAIN "
                    + StartTlsAuthScenarioTest.plain("", "alice", StartTlsAuthScenarioTest.PASSWORD)), 235, "2.7.0");
            Reply queued = client.sendMessage("alice@example.com", List.of("someone@example.net"),
                    "Subject: clear\r\n\r\nhello");
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.authenticatedAs()).isEqualTo("alice");
            assertThat(envelope.protocol()).isEqualTo("ESMTPA");
            assertThat(content(id)).contains("with ESMTPA id " + id).doesNotContain("(version=");
        }
    }
}
