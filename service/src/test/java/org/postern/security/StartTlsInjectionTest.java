package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;

/**
 * STARTTLS command injection (CVE-2011-0411 and its kin in other MTAs): plain-text commands sent
 * behind STARTTLS, in the same packet or the next, are never executed inside the TLS session; they
 * are thrown away before the handshake, or break the handshake. Also the other misuses of STARTTLS:
 * a second one, one with an argument, one before EHLO, and one in the middle of a transaction (the
 * transaction is forgotten, RFC 3207 §4.2). Nothing the injected commands asked for is ever queued
 * or delivered.
 */
class StartTlsInjectionTest extends HostileInputBase {

    static final String INJECTED_SENDER = "injected@example.com";
    static final String INJECTED_RCPT = "injected-victim@example.net";

    /** A whole transaction behind STARTTLS, as an attacker in the path would append it. */
    static final String INJECTED_TRANSACTION = "MAIL FROM:<" + INJECTED_SENDER + ">\r\n"
            + "RCPT TO:<" + INJECTED_RCPT + ">\r\n"
            + "DATA\r\n"
            + "Subject: injected\r\n\r\ninjected body\r\n.\r\n";

    @Test
    void commandsInTheSamePacketAsStartTlsAreDiscarded() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("STARTTLS\r\n" + INJECTED_TRANSACTION);
            assertReply(client.read(), 220, "2.0.0");
            client.startTls();
            Reply ehlo = client.ehlo("client.test");
            assertReply(ehlo, 250, null);
            assertThat(ehlo.lines().get(0)).isEqualTo("relay.test greets client.test");
            // Had the injected MAIL run under TLS, RCPT would be accepted and DATA would start.
            assertReply(client.command("RCPT TO:<someone@example.net>"), 503, "5.5.1");
            assertReply(client.command("DATA"), 503, "5.5.1");
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertThat(client.silentFor(300)).as("no reply to any injected command").isTrue();
        }
        assertNothingFrom(INJECTED_SENDER);
        assertNothingTo(INJECTED_RCPT);
    }

    @Test
    void commandsInTheNextPacketNeverRunEither() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("STARTTLS\r\n");
            client.send(INJECTED_TRANSACTION); // a separate write, before the 220 is even read
            assertReply(client.read(), 220, "2.0.0");
            // Either the server read them with STARTTLS and dropped them (the handshake works and the
            // session is clean), or the handshake read them as a TLS record and failed.
            boolean handshake;
            try {
                client.startTls();
                handshake = true;
            } catch (IOException e) {
                handshake = false;
            }
            if (handshake) {
                assertReply(client.ehlo("client.test"), 250, null);
                assertReply(client.command("RCPT TO:<someone@example.net>"), 503, "5.5.1");
            } else {
                assertThat(client.isClosedByServer()).isTrue();
            }
        }
        assertNothingFrom(INJECTED_SENDER);
        assertNothingTo(INJECTED_RCPT);
    }

    @Test
    void aFloodBehindStartTlsBreaksTheHandshakeAndIsNeverAnswered() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            // More than the server's 16 KB read buffer: what it did not read with STARTTLS reaches
            // the TLS layer, which refuses it as a record.
            client.send("STARTTLS\r\n" + "RSET\r\n".repeat(10_000) + INJECTED_TRANSACTION);
            assertReply(client.read(), 220, "2.0.0");
            String rest = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertThat(rest).as("plain-text replies after the 220").doesNotContain("250 ").doesNotContain("354");
        }
        assertNothingFrom(INJECTED_SENDER);
    }

    @Test
    void aSecondStartTlsIsRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            client.startTls();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.lines()).doesNotContain("STARTTLS");
            assertReply(client.command("STARTTLS"), 503, "5.5.1");
            // The session under TLS goes on and relays.
            Reply queued = client.sendMessage("tls@example.com", java.util.List.of("tls@example.net"),
                    "Subject: after a second STARTTLS\r\n\r\nbody");
            assertReply(queued, 250, "2.0.0");
        }
    }

    @Test
    void startTlsWithAnArgumentIsRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("STARTTLS now"), 501, "5.5.4");
            assertReply(client.command("STARTTLS " + "x".repeat(1000)), 501, "5.5.4");
            // Still plain text and still usable: the next command is answered in the clear.
            assertReply(client.command("NOOP"), 250, "2.0.0");
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            client.startTls();
            assertReply(client.ehlo("client.test"), 250, null);
        }
    }

    @Test
    void startTlsBeforeEhloIsRefused() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            Reply refused = client.command("STARTTLS");
            assertReply(refused, 503, null); // no enhanced status codes before EHLO
            assertThat(refused.text()).contains("EHLO");
            assertReply(client.ehlo("client.test"), 250, null);
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
        }
    }

    @Test
    void startTlsInTheMiddleOfATransactionForgetsIt() throws Exception {
        String sender = "before-tls@example.com";
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<" + sender + ">"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<" + INJECTED_RCPT + ">"), 250, "2.1.5");
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            client.startTls();
            assertReply(client.command("DATA"), 503, null); // EHLO forgotten too: no enhanced codes yet
            assertReply(client.ehlo("client.test"), 250, null);
            assertReply(client.command("DATA"), 503, "5.5.1");
            assertReply(client.command("RCPT TO:<someone@example.net>"), 503, "5.5.1");
        }
        assertNothingFrom(sender);
        assertNothingTo(INJECTED_RCPT);
    }

    @Test
    void garbageInsteadOfAHandshakeEndsTheSession() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            client.send("EHLO not.really.tls\r\n");
            String rest = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertThat(rest).doesNotContain("250");
            assertThatThrownBy(() -> client.command("NOOP")).isInstanceOf(IOException.class);
        }
    }
}
