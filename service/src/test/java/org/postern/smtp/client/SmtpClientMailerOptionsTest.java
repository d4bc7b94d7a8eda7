package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.postern.smtp.client.ClientTestSupport.QUICK;
import static org.postern.smtp.client.ClientTestSupport.message;
import static org.postern.smtp.client.ClientTestSupport.request;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.smtp.BodyType;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Mime8to7;
import org.postern.smtp.client.SessionOptions.EightBit;
import org.postern.smtp.client.SessionOptions.Hello;
import org.postern.smtp.client.SmtpClientException.Phase;

/**
 * The client honouring a mailer's {@link SessionOptions} against a scripted peer: the greeting
 * command (flags a, 2, z), LMTP replies per recipient, the loop check (k), W=, the route-address
 * reverse-path (p) and 8-bit handling (7, 8, 9, C=, 3).
 */
class SmtpClientMailerOptionsTest {

    private final SmtpClient client = new SmtpClient(QUICK, null);
    private ScriptedSmtpPeer peer;

    @AfterEach
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
            assertThat(peer.failures).isEmpty();
        }
    }

    private ScriptedSmtpPeer peer(String... capabilities) {
        peer = new ScriptedSmtpPeer();
        peer.capabilities = new java.util.ArrayList<>(List.of(capabilities));
        return peer;
    }

    private static SessionOptions hello(Hello hello) {
        return new SessionOptions(hello, null, null, ContentOptions.NONE, EightBit.DEFAULT, null);
    }

    private static SessionOptions eightBit(EightBit eightBit) {
        return new SessionOptions(Hello.EHLO, null, null, ContentOptions.NONE, eightBit, null);
    }

    private SmtpClientSession connect(SessionOptions options) throws SmtpClientException {
        return client.connect(request(peer), null, options);
    }

    private List<String> greetingCommands() {
        return peer.commands.stream().map(c -> c.split(" ")[0]).filter(v -> v.matches("EHLO|HELO|LHLO")).toList();
    }

    // ---- a, 2 ----

    @Test
    void withoutFlagAEhloOnlyWhenTheGreetingSaysEsmtp() throws Exception {
        peer("8BITMIME").greeting = "220 peer.test Sendmail ready";
        peer.start();
        try (SmtpClientSession session = connect(hello(Hello.EHLO_IF_GREETING_SAYS_ESMTP))) {
            assertThat(session.supports("8BITMIME")).isFalse();
            session.quit();
        }
        assertThat(greetingCommands()).containsExactly("HELO");
    }

    @Test
    void withoutFlagAEhloWhenTheGreetingSaysEsmtp() throws Exception {
        peer("8BITMIME").start(); // "220 peer.test ESMTP scripted"
        try (SmtpClientSession session = connect(hello(Hello.EHLO_IF_GREETING_SAYS_ESMTP))) {
            assertThat(session.supports("8BITMIME")).isTrue();
            session.quit();
        }
        assertThat(greetingCommands()).containsExactly("EHLO");
    }

    @Test
    void flagAEhloWhateverTheGreetingSays() throws Exception {
        peer("8BITMIME").greeting = "220 peer.test Sendmail ready";
        peer.start();
        try (SmtpClientSession session = connect(hello(Hello.EHLO))) {
            session.quit();
        }
        assertThat(greetingCommands()).containsExactly("EHLO");
    }

    @Test
    void flag2HeloEvenWhenEsmtpIsOffered() throws Exception {
        peer("8BITMIME").start();
        try (SmtpClientSession session = connect(hello(Hello.HELO))) {
            assertThat(session.supports("8BITMIME")).isFalse();
            assertThat(session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n", "b@example.net"))
                    .delivered(0)).isTrue();
            session.quit();
        }
        assertThat(greetingCommands()).containsExactly("HELO");
    }

    // ---- z / [LMTP] ----

    @Test
    void lmtpSaysLhloAndTakesOneReplyPerRecipient() throws Exception {
        peer("PIPELINING", "ENHANCEDSTATUSCODES").lmtpReply = rcpt -> rcpt.contains("full")
                ? "452 4.2.2 mailbox full" : rcpt.contains("gone") ? "550 5.1.1 no such user" : "250 2.0.0 delivered";
        peer.rcptReply = rcpt -> rcpt.contains("unknown") ? "550 5.1.1 unknown" : "250 2.1.5 ok";
        peer.start();
        try (SmtpClientSession session = connect(hello(Hello.LHLO))) {
            assertThat(session.lmtp()).isTrue();
            TransactionResult result = session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n",
                    "ok@example.net", "full@example.net", "unknown@example.net", "gone@example.net", "ok2@example.net"));
            assertThat(result.delivered(0)).isTrue();
            assertThat(result.recipientReply(1).code()).isEqualTo(452);
            assertThat(result.recipientReply(2).code()).isEqualTo(550);
            assertThat(result.recipientReply(2).lines()).containsExactly("unknown"); // refused at RCPT
            assertThat(result.recipientReply(3).lines()).containsExactly("no such user"); // refused after the dot
            assertThat(result.delivered(4)).isTrue();
            assertThat(result.lmtpReplies().get(2)).isNull();
            // the session stays in step: a second transaction on it
            assertThat(session.send(message("a@example.org", "Subject: y\r\n\r\nhi\r\n", "ok@example.net"))
                    .delivered(0)).isTrue();
            session.quit();
        }
        assertThat(greetingCommands()).containsExactly("LHLO");
    }

    @Test
    void lmtpRefusedGreetingIsASessionFailure() throws Exception {
        peer("PIPELINING").start(); // an SMTP server: LHLO unknown
        SmtpClientException e = catchThrowableOfType(SmtpClientException.class, () -> connect(hello(Hello.LHLO)));
        assertThat(e.phase()).isEqualTo(Phase.EHLO);
        assertThat(greetingCommands()).containsExactly("LHLO"); // no fallback to HELO
    }

    // ---- k ----

    @Test
    void aNextHopThatCallsItselfByOurNameIsAMailLoop() throws Exception {
        peer("PIPELINING").start(); // EHLO reply "250-peer.test greets you"
        SessionOptions check = new SessionOptions(Hello.EHLO, "PEER.test", null, ContentOptions.NONE,
                EightBit.DEFAULT, null);
        SmtpClientException e = catchThrowableOfType(SmtpClientException.class, () -> connect(check));
        assertThat(e.permanent()).isFalse();
        assertThat(e.reply().enhanced()).isEqualTo("4.4.6");
        assertThat(e.getMessage()).contains("mail loops back to me");
        assertThat(peer.commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void withFlagKOrAnotherNameThereIsNoLoop() throws Exception {
        peer("PIPELINING").start();
        SessionOptions other = new SessionOptions(Hello.EHLO, "relay.test", null, ContentOptions.NONE,
                EightBit.DEFAULT, null);
        try (SmtpClientSession session = connect(other)) {
            session.quit();
        }
        try (SmtpClientSession session = connect(hello(Hello.EHLO))) { // k: loopCheck null
            session.quit();
        }
    }

    // ---- W= ----

    @Test
    void waitBoundsTheReplyToTheFinalDot() throws Exception {
        peer("PIPELINING").endOfDataDelayMillis = 1500;
        peer.start();
        SessionOptions wait = new SessionOptions(Hello.EHLO, null, Duration.ofMillis(300), ContentOptions.NONE,
                EightBit.DEFAULT, null);
        try (SmtpClientSession session = connect(wait)) {
            SmtpClientException e = catchThrowableOfType(SmtpClientException.class,
                    () -> session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n", "b@example.net")));
            assertThat(e.phase()).isEqualTo(Phase.DATA_END);
            assertThat(e.timeout()).isTrue();
        }
        try (SmtpClientSession session = connect(SessionOptions.DEFAULT)) { // the configured 5 s
            assertThat(session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n", "b@example.net"))
                    .delivered(0)).isTrue();
            session.quit();
        }
    }

    // ---- p ----

    @Test
    void flagPSendsARouteAddressReversePath() throws Exception {
        peer("PIPELINING").start();
        SessionOptions p = new SessionOptions(Hello.EHLO, null, null, ContentOptions.NONE, EightBit.DEFAULT,
                "relay.test");
        try (SmtpClientSession session = connect(p)) {
            session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n", "b@example.net"));
            session.send(new OutboundMessage(MailAddress.NULL_SENDER,
                    List.of(OutboundRecipient.of(ClientTestSupport.address("c@example.net"))), BodyType.SEVEN_BIT,
                    false, null, null, 10, new ClientTestSupport.TextContent("A: b\r\n\r\nc\r\n", "")));
            session.quit();
        }
        assertThat(peer.commands).contains("MAIL FROM:<@relay.test:a@example.org>", "MAIL FROM:<>");
    }

    // ---- 7, 8, 9, C=, 3 ----

    private static final String EIGHT_BIT = "Subject: x\r\n\r\ncaf\u00e9\r\n";

    @Test
    void flag8SendsEightBitAsItIsToANextHopWithout8bitmime() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = connect(eightBit(new EightBit(false, true, false, Mime8to7.Options.DEFAULT)))) {
            session.send(message("a@example.org", BodyType.EIGHT_BIT_MIME, false, EIGHT_BIT, "b@example.net"));
            session.quit();
        }
        assertThat(peer.message(0)).isEqualTo(EIGHT_BIT + ".\r\n"); // not openSevenBit's "7bit:" version
        assertThat(peer.transactionCommands().get(0)).isEqualTo("MAIL FROM:<a@example.org>"); // no BODY= it did not offer
    }

    @Test
    void withoutFlag8EightBitIsDowngradedForANextHopWithout8bitmime() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = connect(eightBit(EightBit.DEFAULT))) {
            session.send(message("a@example.org", BodyType.EIGHT_BIT_MIME, false, EIGHT_BIT, "b@example.net"));
            session.quit();
        }
        assertThat(peer.message(0)).startsWith("7bit:");
    }

    @Test
    void flag7StripsTheEighthBitOnlyWhen8bitmimeIsNotOffered() throws Exception {
        EightBit strip = new EightBit(true, false, false, Mime8to7.Options.DEFAULT);
        String sevenBitDeclaredButNot = "Subject: caf\u00e9\r\n\r\ncaf\u00e9\r\n"; // illegal, yet seen
        peer("PIPELINING").start();
        try (SmtpClientSession session = connect(eightBit(strip))) {
            session.send(message("a@example.org", sevenBitDeclaredButNot, "b@example.net"));
            session.quit();
        }
        // é is C3 A9 in UTF-8; stripped: 43 29, "C)"
        assertThat(peer.message(0)).isEqualTo("Subject: cafC)\r\n\r\ncafC)\r\n.\r\n");
        peer.close();
        peer("PIPELINING", "8BITMIME").start();
        try (SmtpClientSession session = connect(eightBit(strip))) {
            session.send(message("a@example.org", sevenBitDeclaredButNot, "b@example.net"));
            session.quit();
        }
        assertThat(peer.message(0)).isEqualTo(sevenBitDeclaredButNot + ".\r\n");
    }

    @Test
    void flag9DecodesQuotedPrintableTextFor8bitmimeNextHops() throws Exception {
        String qp = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n";
        EightBit upgrade = new EightBit(false, false, true, Mime8to7.Options.DEFAULT);
        peer("PIPELINING", "8BITMIME").start();
        try (SmtpClientSession session = connect(eightBit(upgrade))) {
            session.send(message("a@example.org", qp, "b@example.net"));
            session.quit();
        }
        assertThat(peer.transactionCommands().get(0)).isEqualTo("MAIL FROM:<a@example.org> BODY=8BITMIME");
        assertThat(peer.message(0)).isEqualTo(qp.replace("quoted-printable", "8bit").replace("=C3=A9", "\u00e9")
                + ".\r\n");
        peer.close();
        peer("PIPELINING").start(); // no 8BITMIME: left as it is
        try (SmtpClientSession session = connect(eightBit(upgrade))) {
            session.send(message("a@example.org", qp, "b@example.net"));
            session.quit();
        }
        assertThat(peer.message(0)).isEqualTo(qp + ".\r\n");
    }

    /** Content whose 7-bit form is really converted by Mime8to7 from what open() gives. */
    record RawContent(byte[] bytes) implements OutboundContent {
        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public InputStream openSevenBit() throws java.io.IOException {
            return Mime8to7.converting(open());
        }
    }

    private String downgraded(Mime8to7.Options options, byte[] content) throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = connect(eightBit(new EightBit(false, false, false, options)))) {
            session.send(new OutboundMessage(ClientTestSupport.address("a@example.org"),
                    List.of(OutboundRecipient.of(ClientTestSupport.address("b@example.net"))), BodyType.EIGHT_BIT_MIME,
                    false, null, null, content.length, new RawContent(content)));
            session.quit();
        }
        String text = peer.message(0);
        peer.close();
        peer = null;
        return text;
    }

    @Test
    void charsetNamesUnlabelledEightBitTextWhenDowngrading() throws Exception {
        byte[] latin1 = "Subject: x\r\n\r\ncaf\u00e9!\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(downgraded(Mime8to7.Options.DEFAULT, latin1)).contains("charset=unknown-8bit");
        assertThat(downgraded(new Mime8to7.Options("iso-8859-1", false), latin1))
                .contains("Content-Type: text/plain; charset=iso-8859-1").contains("caf=E9!");
        assertThat(downgraded(new Mime8to7.Options("iso-8859-1", true), latin1)).contains("caf=E9=21");
    }
}
