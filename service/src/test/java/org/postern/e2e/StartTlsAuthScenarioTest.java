package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954) for a client outside the relay networks: AUTH
 * is offered only under TLS, authentication is what lets such a client relay, and commands pipelined
 * after STARTTLS in plain text are never executed inside the TLS session (CVE-2011-0411).
 */
@TestPropertySource(properties = "postern.policy.relay-networks=127.0.0.2/32")
class StartTlsAuthScenarioTest extends PosternTest {

    static final String PASSWORD = "correct horse battery staple";
    static final String ALICE_HASH = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("postern.auth.users.alice", () -> ALICE_HASH);
    }

    @Test
    void withoutTlsAuthIsNotOfferedAndRelayIsDenied() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.lines()).contains("STARTTLS").noneMatch(line -> line.startsWith("AUTH"));

            assertReply(client.command("AUTH PLAIN " + plain("", "alice", PASSWORD)), 538, "5.7.11");
            assertReply(client.command("AUTH LOGIN"), 538, "5.7.11");

            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
            assertReply(client.command("DATA"), 503, "5.5.1");
        }
    }

    @Test
    void startTlsThenAuthPlainLetsTheClientRelay() throws Exception {
        try (SmtpTestClient client = connectTls()) {
            Reply ehlo = client.ehlo("client.test");
            assertReply(ehlo, 250, null);
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertReply(client.command("STARTTLS"), 503, "5.5.1");

            // Under TLS but not yet authenticated: still no relaying.
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
            assertReply(client.command("AUTH PLAIN " + plain("", "alice", PASSWORD)), 503, "5.5.1");
            assertReply(client.command("RSET"), 250, "2.0.0");

            assertReply(client.command("AUTH PLAIN " + plain("", "alice", PASSWORD)), 235, "2.7.0");
            assertReply(client.command("AUTH PLAIN " + plain("", "alice", PASSWORD)), 503, "5.5.1");
            Reply again = client.ehlo("client.test");
            assertThat(again.lines()).noneMatch(line -> line.startsWith("AUTH"));

            Reply queued = client.sendMessage("alice@example.com", List.of("someone@example.net"),
                    "Subject: authenticated\r\n\r\nhello");
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.authenticatedAs()).isEqualTo("alice");
            assertThat(envelope.protocol()).isEqualTo("ESMTPSA");
            assertThat(envelope.clientAddress()).isEqualTo("127.0.0.1");
            String received = content(id).substring(0, content(id).indexOf("\r\nSubject:"));
            assertThat(received).contains("\r\n\t(authenticated)\r\n\tby relay.test").contains("with ESMTPSA id " + id)
                    .containsPattern("\\(version=TLSv1\\.[23] cipher=\\S+ bits=\\d+ verify=NOT\\)");
        }
    }

    @Test
    void authPlainWithoutInitialResponseUsesAContinuation() throws Exception {
        try (SmtpTestClient client = connectTlsEhlo()) {
            Reply prompt = client.command("AUTH PLAIN");
            assertThat(prompt.code()).isEqualTo(334);
            assertThat(prompt.text()).isEmpty();
            assertReply(client.command(plain("alice", "alice", PASSWORD)), 235, "2.7.0");
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 250, "2.1.5");
        }
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        try (SmtpTestClient client = connectTlsEhlo()) {
            assertReply(client.command("AUTH PLAIN " + plain("", "alice", "wrong")), 535, "5.7.8");
            assertReply(client.command("AUTH PLAIN " + plain("", "mallory", PASSWORD)), 535, "5.7.8");
            // alice's password does not let her act as someone else.
            assertReply(client.command("AUTH PLAIN " + plain("bob", "alice", PASSWORD)), 535, "5.7.8");
            assertReply(client.command("AUTH LOGIN " + b64("alice")), 334, null);
            assertReply(client.command(b64("wrong")), 535, "5.7.8");

            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
        }
    }

    @Test
    void authLoginPromptsForUserAndPassword() throws Exception {
        try (SmtpTestClient client = connectTlsEhlo()) {
            Reply user = client.command("AUTH LOGIN");
            assertThat(user.code()).isEqualTo(334);
            assertThat(new String(Base64.getDecoder().decode(user.text()), StandardCharsets.US_ASCII))
                    .isEqualTo("Username:");
            Reply password = client.command(b64("alice"));
            assertThat(password.code()).isEqualTo(334);
            assertThat(new String(Base64.getDecoder().decode(password.text()), StandardCharsets.US_ASCII))
                    .isEqualTo("Password:");
            assertReply(client.command(b64(PASSWORD)), 235, "2.7.0");
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 250, "2.1.5");
        }
        try (SmtpTestClient client = connectTlsEhlo()) {
            assertThat(client.command("AUTH LOGIN " + b64("alice")).code()).isEqualTo(334);
            assertReply(client.command(b64(PASSWORD)), 235, "2.7.0");
        }
    }

    @Test
    void starCancelsTheExchange() throws Exception {
        try (SmtpTestClient client = connectTlsEhlo()) {
            assertThat(client.command("AUTH PLAIN").code()).isEqualTo(334);
            assertReply(client.command("*"), 501, "5.0.0");
            assertThat(client.command("AUTH LOGIN").code()).isEqualTo(334);
            assertReply(client.command("*"), 501, "5.0.0");
            assertThat(client.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(client.command(b64("alice")).code()).isEqualTo(334);
            assertReply(client.command("*"), 501, "5.0.0");

            // Cancelled means not authenticated, and the session goes on.
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
        }
    }

    @Test
    void malformedAuthExchanges() throws Exception {
        try (SmtpTestClient client = connectTlsEhlo()) {
            assertReply(client.command("AUTH CRAM-MD5"), 504, "5.5.4");
            assertReply(client.command("AUTH PLAIN not*base64!"), 501, "5.5.2");
            assertReply(client.command("AUTH PLAIN " + b64("no separators")), 501, "5.5.2");
            assertReply(client.command("AUTH PLAIN " + plain("", "alice", PASSWORD)), 235, "2.7.0");
        }
    }

    @Test
    void stateLearntBeforeTlsIsForgotten() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<before-tls@example.com>"), 250, "2.1.0");
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            client.startTls();
            // RFC 3207 §4.2: the EHLO (and the transaction) from before TLS no longer count.
            assertReply(client.command("MAIL FROM:<after-tls@example.com>"), 503, null);
            assertThat(client.ehlo("client.test").code()).isEqualTo(250);
            assertReply(client.command("RCPT TO:<someone@example.net>"), 503, "5.5.1");
        }
    }

    /** CVE-2011-0411: commands sent in plain text right behind STARTTLS must be thrown away. */
    @Test
    void commandsPipelinedAfterStartTlsAreNotExecuted() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("STARTTLS\r\nRSET\r\n");
            assertReply(client.read(), 220, "2.0.0");
            client.startTls();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines().get(0)).isEqualTo("relay.test greets client.test");
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN");
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertThat(client.silentFor(300)).as("no reply to the injected RSET").isTrue();
        }
        try (SmtpTestClient client = connectEhlo()) {
            client.send("STARTTLS\r\nMAIL FROM:<injected@example.com>\r\n");
            assertReply(client.read(), 220, "2.0.0");
            client.startTls();
            assertThat(client.ehlo("client.test").lines().get(0)).isEqualTo("relay.test greets client.test");
            // Had the injected MAIL been executed under TLS, this would be a second MAIL.
            assertReply(client.command("RCPT TO:<someone@example.net>"), 503, "5.5.1");
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertThat(client.silentFor(300)).isTrue();
        }
        assertThat(envelopes()).noneMatch(e -> e.sender().toString().equals("injected@example.com"));
    }

    @Test
    void aClientInTheRelayNetworksNeedsNoAuth() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connectFrom("127.0.0.2", smtpPort())) {
            client.greeting();
            client.ehlo("inside.test");
            Reply queued = client.sendMessage("app@example.com", List.of("someone@example.net"), "Subject: x\r\n\r\ny");
            assertReply(queued, 250, "2.0.0");
            Envelope envelope = spool.read(SmtpTestClient.queueId(queued)).envelope();
            assertThat(envelope.authenticatedAs()).isNull();
            assertThat(envelope.protocol()).isEqualTo("ESMTP");
        }
    }

    private SmtpTestClient connectTls() throws Exception {
        SmtpTestClient client = connectEhlo();
        assertReply(client.command("STARTTLS"), 220, "2.0.0");
        client.startTls();
        return client;
    }

    private SmtpTestClient connectTlsEhlo() throws Exception {
        SmtpTestClient client = connectTls();
        assertThat(client.ehlo("client.test").code()).isEqualTo(250);
        return client;
    }

    /** The PLAIN mechanism's response: authzid NUL authcid NUL password, in base64. */
    static String plain(String authzid, String user, String password) {
        return b64(authzid + "\0" + user + "\0" + password);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
