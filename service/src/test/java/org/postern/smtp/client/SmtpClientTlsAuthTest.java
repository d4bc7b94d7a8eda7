package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.smtp.client.ClientTestSupport.QUICK;
import static org.postern.smtp.client.ClientTestSupport.message;
import static org.postern.smtp.client.ClientTestSupport.request;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.smtp.client.SmtpClientException.Phase;
import org.postern.smtp.server.SelfSignedCertificate;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS by policy (RFC 3207, RFC 7435) and AUTH PLAIN/LOGIN (RFC 4954) against a scripted peer:
 * what each policy accepts, and that credentials reach the peer but never a log line or an exception.
 */
class SmtpClientTlsAuthTest {

    private static final String PASSWORD = "s3cret-Pa55word";
    private static final ClientCredentials CREDENTIALS = new ClientCredentials("relay-user", PASSWORD);

    private ScriptedSmtpPeer peer;
    private ListAppender<ILoggingEvent> logs;
    private Logger clientLogger;
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        clientLogger = (Logger) LoggerFactory.getLogger("org.postern.smtp.client");
        previousLevel = clientLogger.getLevel();
        clientLogger.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        clientLogger.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        clientLogger.detachAppender(logs);
        clientLogger.setLevel(previousLevel);
        if (peer != null) {
            peer.close();
            assertThat(peer.failures).isEmpty();
        }
        // Whatever a test did, no log line carries the password or an AUTH payload.
        String plain = Base64.getEncoder().encodeToString(("\0relay-user\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String login = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(PASSWORD) || m.contains(plain) || m.contains(login));
    }

    private ScriptedSmtpPeer peer(String... capabilities) {
        peer = new ScriptedSmtpPeer();
        peer.capabilities = new ArrayList<>(List.of(capabilities));
        return peer;
    }

    @Test
    void opportunisticTlsAcceptsAnUntrustedSelfSignedCertificate() throws Exception {
        peer("PIPELINING", "STARTTLS").tls = SelfSignedCertificate.sslContext("peer.test");
        peer.start();
        SmtpClient client = new SmtpClient(QUICK, null); // JVM default trust: the certificate is not trusted
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.tlsActive()).isTrue();
            assertThat(session.supports("STARTTLS")).isFalse(); // the EHLO after TLS
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "b@example.net"));
            assertThat(result.tls()).isTrue();
            assertThat(result.delivered(0)).isTrue();
            session.quit();
        }
        assertThat(peer.tlsEstablished).isTrue();
        assertThat(peer.commands).startsWith("EHLO client.test", "STARTTLS", "EHLO client.test");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains(">>> STARTTLS"));
    }

    @Test
    void opportunisticTlsContinuesInPlainTextWhenStartTlsIsRefused() throws Exception {
        peer("PIPELINING", "STARTTLS").start(); // advertised, but the peer has no certificate: 454
        try (SmtpClientSession session = new SmtpClient(QUICK, null).connect(request(peer))) {
            assertThat(session.tlsActive()).isFalse();
            assertThat(session.send(message("a@example.org", "hi\r\n", "b@example.net")).delivered(0)).isTrue();
        }
    }

    @Test
    void policyNoneNeverStartsTls() throws Exception {
        peer("PIPELINING", "STARTTLS").tls = SelfSignedCertificate.sslContext("peer.test");
        peer.start();
        try (SmtpClientSession session = new SmtpClient(QUICK, null).connect(request(peer).withTls(TlsPolicy.NONE, null))) {
            assertThat(session.tlsActive()).isFalse();
        }
        assertThat(peer.commands).doesNotContain("STARTTLS");
    }

    @Test
    void requiredTlsRefusesAnUntrustedCertificate() throws Exception {
        peer("STARTTLS").tls = SelfSignedCertificate.sslContext("localhost");
        peer.start();
        SmtpClient client = new SmtpClient(QUICK, null);
        assertThatThrownBy(() -> client.connect(request(peer).withTls(TlsPolicy.REQUIRED, "localhost")))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.phase()).isEqualTo(Phase.STARTTLS);
                    assertThat(e.reply().enhanced()).isEqualTo("4.7.5");
                    assertThat(e.permanent()).isFalse();
                });
        assertThat(peer.commands).containsExactly("EHLO client.test", "STARTTLS");
    }

    @Test
    void requiredTlsWithATrustedCertificateForTheNameWorks() throws Exception {
        TestCertificate certificate = TestCertificate.create("localhost");
        peer("PIPELINING", "STARTTLS").tls = certificate.serverContext();
        peer.start();
        SmtpClient client = new SmtpClient(QUICK, certificate.trustingContext());
        // connecting to 127.0.0.1, verifying the name "localhost"
        try (SmtpClientSession session = client.connect(request(peer).withTls(TlsPolicy.REQUIRED, "localhost"))) {
            assertThat(session.tlsActive()).isTrue();
            assertThat(session.send(message("a@example.org", "hi\r\n", "b@example.net")).delivered(0)).isTrue();
        }
    }

    @Test
    void requiredTlsRefusesATrustedCertificateForAnotherName() throws Exception {
        TestCertificate certificate = TestCertificate.create("localhost");
        peer("STARTTLS").tls = certificate.serverContext();
        peer.start();
        SmtpClient client = new SmtpClient(QUICK, certificate.trustingContext());
        assertThatThrownBy(() -> client.connect(request(peer).withTls(TlsPolicy.REQUIRED, "wrong.example")))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.phase()).isEqualTo(Phase.STARTTLS);
                    assertThat(e.reply().enhanced()).isEqualTo("4.7.5");
                    assertThat(e.permanent()).isFalse();
                });
    }

    @Test
    void requiredTlsFailsWhenStartTlsIsNotOffered() throws Exception {
        peer("PIPELINING").start();
        SmtpClient client = new SmtpClient(QUICK, null);
        assertThatThrownBy(() -> client.connect(request(peer).withTls(TlsPolicy.REQUIRED, "localhost")))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.phase()).isEqualTo(Phase.STARTTLS);
                    assertThat(e.reply().code()).isEqualTo(454);
                    assertThat(e.reply().enhanced()).isEqualTo("4.7.4");
                    assertThat(e.permanent()).isFalse();
                });
        assertThat(peer.commands).containsExactly("EHLO client.test", "QUIT"); // nothing sent in the clear
    }

    @Test
    void bytesAfterTheStartTlsReplyAreAProtocolError() throws Exception {
        peer("STARTTLS").tls = SelfSignedCertificate.sslContext("peer.test");
        peer.injectAfterStartTls = "250-peer.test\r\n250 AUTH PLAIN\r\n";
        peer.start();
        assertThatThrownBy(() -> new SmtpClient(QUICK, null).connect(request(peer)))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.phase()).isEqualTo(Phase.STARTTLS);
                    assertThat(e.getMessage()).contains("before the TLS handshake");
                    assertThat(e.permanent()).isFalse();
                });
        assertThat(peer.tlsEstablished).isFalse();
    }

    @Test
    void authPlainSendsTheCredentialsUnderTls() throws Exception {
        peer("PIPELINING", "STARTTLS").tls = SelfSignedCertificate.sslContext("peer.test");
        peer.capabilitiesAfterTls = List.of("PIPELINING", "AUTH LOGIN PLAIN");
        peer.start();
        try (SmtpClientSession session = new SmtpClient(QUICK, null)
                .connect(request(peer).withCredentials(CREDENTIALS, false))) {
            assertThat(session.send(message("a@example.org", "hi\r\n", "b@example.net")).delivered(0)).isTrue();
        }
        assertThat(peer.authSecrets).containsExactly("\0relay-user\0" + PASSWORD);
    }

    @Test
    void authLoginWhenPlainIsNotOffered() throws Exception {
        peer("PIPELINING", "AUTH LOGIN").start();
        try (SmtpClientSession session = new SmtpClient(QUICK, null)
                .connect(request(peer).withCredentials(CREDENTIALS, true))) {
            assertThat(session.isReusable()).isTrue();
        }
        assertThat(peer.authSecrets).containsExactly("relay-user", PASSWORD);
    }

    @Test
    void noAuthInPlainTextUnlessAllowed() throws Exception {
        peer("PIPELINING", "AUTH PLAIN LOGIN").start();
        try (SmtpClientSession session = new SmtpClient(QUICK, null)
                .connect(request(peer).withTls(TlsPolicy.NONE, null).withCredentials(CREDENTIALS, false))) {
            assertThat(session.isReusable()).isTrue();
        }
        assertThat(peer.commands).noneMatch(c -> c.startsWith("AUTH"));
        assertThat(peer.authSecrets).isEmpty();
    }

    @Test
    void authFailureIsTemporaryAndItsMessageCarriesNoSecret() throws Exception {
        peer("PIPELINING", "AUTH PLAIN").authReply = "535 5.7.8 bad credentials for relay-user/" + PASSWORD;
        peer.start();
        assertThatThrownBy(() -> new SmtpClient(QUICK, null).connect(request(peer).withCredentials(CREDENTIALS, true)))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.phase()).isEqualTo(Phase.AUTH);
                    assertThat(e.reply().code()).isEqualTo(535);
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                    assertThat(String.valueOf(e.getCause())).doesNotContain(PASSWORD);
                });
        assertThat(peer.authSecrets).containsExactly("\0relay-user\0" + PASSWORD);
    }

    @Test
    void credentialsDoNotPrintTheirPassword() {
        assertThat(CREDENTIALS.toString()).doesNotContain(PASSWORD);
        ConnectRequest request = ConnectRequest.to(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 25),
                "client.test").withCredentials(CREDENTIALS, false);
        assertThat(request.toString()).doesNotContain(PASSWORD);
    }
}
