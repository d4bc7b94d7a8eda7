package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.config.DaemonModifiers;
import org.postern.macro.MacroValues;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/** The macros a session gives the Received rule, from the envelope and from the connection itself. */
class SessionMacrosTest {

    @Test
    void sessionMacrosOfAPlainAuthenticatedSession() throws Exception {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SessionSettings settings = new SessionSettings("relay.test", 1000, 10, 512, 998, Duration.ofMinutes(1),
                    Duration.ofMinutes(1), 10, 100, 10, BareLineEndings.REJECT, true);
            ServerContext context = new ServerContext(settings, null, null, null, null, null, null, null, null);
            DaemonPort port = new DaemonPort("MSA", InetAddress.getByName("127.0.0.1"), 0, AddressFamily.INET, 10,
                    Set.of(DaemonModifiers.NO_ETRN, DaemonModifiers.REQUIRE_AUTH), 0, 0, 0);
            SmtpSession session = new SmtpSession(pair.server, port, context, () -> false, () -> { });
            session.heloName = "client.test";
            session.authenticatedAs = "alice";
            session.authMechanism = "PLAIN";
            Transaction tx = new Transaction(new MailAddress("a", "example.com"), BodyType.SEVEN_BIT, false, null, null);
            tx.recipients.add(Recipient.of(new MailAddress("b", "example.net")));
            Envelope envelope = new Envelope("QID", Instant.parse("2025-06-02T10:05:30Z"), tx.sender, tx.recipients,
                    tx.body, false, null, null, "127.0.0.1", null, "client.test", "alice", "ESMTPA", "MSA");

            MacroValues m = SessionMacros.of(session, tx, envelope,
                    ZonedDateTime.of(2025, 6, 2, 12, 5, 30, 0, ZoneOffset.ofHours(2)));
            assertThat(m.get("u")).isEqualTo("<b@example.net>");
            assertThat(m.get("s")).isEqualTo("client.test");
            assertThat(m.get("_")).isEqualTo("[127.0.0.1]");
            assertThat(m.get("r")).isEqualTo("ESMTPA");
            assertThat(m.get("b")).isEqualTo("Mon, 2 Jun 2025 12:05:30 +0200");
            assertThat(m.get("a")).isEqualTo(m.get("b"));
            assertThat(m.get("auth_type")).isEqualTo("PLAIN");
            assertThat(m.get("auth_authen")).isEqualTo("alice");
            assertThat(m.get("auth_ssf")).as("PLAIN negotiates no security layer").isNull();
            assertThat(m.get("daemon_name")).isEqualTo("MSA");
            assertThat(m.get("daemon_flags")).isEqualTo("a EE");
            assertThat(m.get("daemon_addr")).isEqualTo("127.0.0.1");
            assertThat(m.get("daemon_family")).isEqualTo("inet");
            assertThat(m.get("daemon_port")).isEqualTo(Integer.toString(pair.server.getLocalPort()));
            assertThat(m.get("client_port")).isEqualTo(Integer.toString(pair.client.getLocalPort()));
            // Loopback interfaces are not reported (as sendmail's ${if_addr}); no TLS, no TLS macros.
            assertThat(m.get("if_addr")).isNull();
            assertThat(m.get("tls_version")).isNull();
            assertThat(m.get("verify")).isNull();
            tx.recipients.add(Recipient.of(new MailAddress("c", "example.net")));
            assertThat(SessionMacros.of(session, tx, envelope, ZonedDateTime.now()).get("u")).isNull();
        }
    }

    @Test
    void cipherBitsFromTheSuiteName() {
        assertThat(SessionMacros.cipherBits("TLS_AES_256_GCM_SHA384")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("TLS_AES_128_GCM_SHA256")).isEqualTo("128");
        assertThat(SessionMacros.cipherBits("TLS_CHACHA20_POLY1305_SHA256")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).isEqualTo("128");
        assertThat(SessionMacros.cipherBits("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("SSL_NULL_WITH_NULL_NULL")).isNull();
    }
}
