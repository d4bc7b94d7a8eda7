package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.LoopbackDnsServer;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Mailer flags and fields as a user sees them at the next hop, through the running service: each
 * recipient domain routes through its own mailer to its own receiver, and each test looks at what
 * that receiver got (the greeting command, the envelope, the content) or did not get.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=6s",
        "postern.queue.destination-concurrency=1",
        "postern.queue.connection-cache-time=30s",
        "postern.dns.timeout=300ms",
        "postern.dns.attempts=1",
        "postern.mailers.pair.flags=mDFMuXa",
        "postern.mailers.pair.maxmessages=2",
        "postern.mailers.mbox=Mmbox, P=[IPC], F=mauEb, A=TCP $h",
        "postern.mailers.upgrade=Mupgrade, P=[IPC], F=mau9, A=TCP $h",
        "postern.mailers.nonull.flags=mag",
        "postern.mailers.routeaddr.flags=map",
        "postern.mailers.noloop.flags=mauk",
        "postern.mailers.keepcase.flags=ma",
        "postern.mailers.quotes.flags=masu",
        "postern.mailers.slow=Mslow, P=[IPC], F=mau, W=1s, A=TCP $h",
        "postern.mailers.typed=Mtyped, P=[IPC], F=mau, T=X-Test/X-Addr/X-Diag, A=TCP $h",
        "postern.mailers.latin=Mlatin, P=[IPC], F=mau, C=iso-8859-1, A=TCP $h",
        "postern.mailers.small=Msmall, P=[IPC], F=mau, M=1000, A=TCP $h",
        "postern.mailers.verify.flags=mauq",
        "postern.mailers.expensive.flags=maue",
        "postern.mailers.batch=Mbatch, P=[IPC], F=mau, r=2, A=TCP $h",
        "postern.mailers.single.flags=au",
})
class MailerFlagsScenarioTest extends PosternTest {

    private static final List<TestMailReceiver> ALL = new ArrayList<>();

    static final TestMailReceiver helo = receiver().name("helo-peer.test").greeting("Sendmail ready");
    static final TestMailReceiver ehlo = receiver().name("ehlo-peer.test").greeting("Sendmail ready");
    static final TestMailReceiver lmtp = receiver().lmtp(rcpt -> rcpt.startsWith("gone")
            ? "550 5.1.1 no such mailbox" : "250 2.0.0 delivered");
    static final TestMailReceiver lines = receiver();
    static final TestMailReceiver pair = receiver();
    static final TestMailReceiver mbox = receiver();
    static final TestMailReceiver eight = receiver().eightBitMime(false);
    static final TestMailReceiver upgrade = receiver();
    static final TestMailReceiver nonull = receiver();
    static final TestMailReceiver routeaddr = receiver();
    static final TestMailReceiver loop = receiver().name("relay.test");
    static final TestMailReceiver noloop = receiver().name("RELAY.test");
    static final TestMailReceiver keepcase = receiver();
    static final TestMailReceiver quotes = receiver();
    static final TestMailReceiver held = receiver();
    static final TestMailReceiver expensive = receiver();
    static final TestMailReceiver batch = receiver();
    static final TestMailReceiver single = receiver();
    static final TestMailReceiver slow = receiver().dataFinalDelay(Duration.ofSeconds(3));
    static final TestMailReceiver typed = receiver().onRcpt(rcpt -> "550 5.1.1 unknown user");
    static final TestMailReceiver latin = receiver().eightBitMime(false);
    static final TestMailReceiver direct = TestMailReceiver.unchecked("127.0.0.5");
    static final LoopbackDnsServer dns = startDns();

    private static TestMailReceiver receiver() {
        TestMailReceiver r = TestMailReceiver.unchecked();
        ALL.add(r);
        return r;
    }

    static LoopbackDnsServer startDns() {
        try {
            // nomx.test: its MX host has nothing listening; its own A record is the receiver.
            return new LoopbackDnsServer().start().addMx("nomx.test", 10, "mx.nomx.test", 300)
                    .addA("mx.nomx.test", "127.0.0.2").addA("nomx.test", "127.0.0.5");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("postern.dns.servers", dns::hostPort);
        route(registry, "helo.test", "smtp", helo);
        route(registry, "ehlo.test", "esmtp", ehlo);
        registry.add("postern.mailers.lmtp", () -> "Mlmtp, P=[LMTP], F=mDFMuX, E=\\r\\n, L=990, T=DNS/RFC822/SMTP,"
                + " A=TCP $h " + lmtp.port());
        registry.add("postern.routing.domains.[lmtp.test]", () -> "lmtp:[127.0.0.1]");
        route(registry, "long.test", "esmtp", lines);
        route(registry, "pair.test", "pair", pair);
        route(registry, "mbox.test", "mbox", mbox);
        route(registry, "eight.test", "relay", eight);
        route(registry, "upgrade.test", "upgrade", upgrade);
        route(registry, "nonull.test", "nonull", nonull);
        route(registry, "routeaddr.test", "routeaddr", routeaddr);
        route(registry, "loop.test", "esmtp", loop);
        route(registry, "noloop.test", "noloop", noloop);
        route(registry, "case.test", "keepcase", keepcase);
        route(registry, "quotes.test", "quotes", quotes);
        route(registry, "held.test", "dsmtp", held);
        route(registry, "expensive.test", "expensive", expensive);
        route(registry, "batch.test", "batch", batch);
        route(registry, "single.test", "single", single);
        route(registry, "slow.test", "slow", slow);
        route(registry, "typed.test", "typed", typed);
        route(registry, "latin.test", "latin", latin);
        route(registry, "small.test", "small", lines);
        route(registry, "vrfy.test", "verify", lines);
        registry.add("postern.mailers.direct", () -> "Mdirect, P=[IPC], F=mau0, A=TCP $h " + direct.port());
        registry.add("postern.routing.domains.[nomx.test]", () -> "direct:");
    }

    private static void route(DynamicPropertyRegistry registry, String domain, String mailer, TestMailReceiver to) {
        registry.add("postern.routing.domains.[" + domain + "]", () -> mailer + ":" + to.smartHost());
    }

    @AfterAll
    static void close() throws Exception {
        for (TestMailReceiver r : ALL) {
            r.close();
        }
        direct.close();
        dns.close();
    }

    private static void awaitMessages(TestMailReceiver r, int n) throws InterruptedException {
        TestMailReceiver.await(Duration.ofSeconds(20), () -> r.messages().size() >= n, n + " message(s)");
    }

    private static List<String> greetingCommands(TestMailReceiver r) {
        return r.commands().stream().map(c -> c.split(" ")[0].toUpperCase()).filter(v -> v.matches("EHLO|HELO|LHLO"))
                .toList();
    }

    /** Sends one message in its own session with raw content; returns the queue id. */
    private String sendRaw(String mailFrom, String rcpt, byte[] content) throws IOException {
        try (SmtpTestClient client = connectEhlo()) {
            assertThat(client.command("MAIL FROM:" + mailFrom).code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<" + rcpt + ">").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send(content);
            client.send(".\r\n");
            SmtpTestClient.Reply r = client.read();
            assertThat(r.code()).as("final reply").isEqualTo(250);
            return SmtpTestClient.queueId(r);
        }
    }

    // ---- a, z ----

    @Test
    void withoutFlagAHeloWhenTheGreetingDoesNotSayEsmtp() throws Exception {
        send("app@example.com", List.of("user@helo.test"), "Subject: smtp\r\n\r\nbody\r\n");
        awaitMessages(helo, 1);
        assertThat(greetingCommands(helo)).containsExactly("HELO");
    }

    @Test
    void flagAEhloWhateverTheGreetingSays() throws Exception {
        send("app@example.com", List.of("user@ehlo.test"), "Subject: esmtp\r\n\r\nbody\r\n");
        awaitMessages(ehlo, 1);
        assertThat(greetingCommands(ehlo)).containsExactly("EHLO");
    }

    @Test
    void lmtpMailerTakesOneReplyPerRecipient() throws Exception {
        String id = send("app@example.com", List.of("ok@lmtp.test", "gone@lmtp.test"), "Subject: lmtp\r\n\r\nbody\r\n");
        awaitMessages(lmtp, 1);
        assertThat(greetingCommands(lmtp)).containsExactly("LHLO");
        assertThat(lmtp.messages().get(0).rcptTo()).containsExactly("ok@lmtp.test", "gone@lmtp.test");
        // ok@ was delivered; gone@ bounced on its own reply after the dot: the DSN names only gone@.
        awaitRemoved(id, Duration.ofSeconds(10));
        String dsn = bounceText("gone@lmtp.test");
        assertThat(dsn).contains("Final-Recipient: rfc822; gone@lmtp.test").contains("550 5.1.1 no such mailbox")
                .doesNotContain("ok@lmtp.test");
    }

    // ---- L=, M=, m= ----

    @Test
    void lineLimitOfTheBuiltInMailerBreaksLongLinesAsSendmailDoes() throws Exception {
        String longLine = "x".repeat(998); // as long as the listener takes
        send("app@example.com", List.of("user@long.test"), "Subject: long\r\n\r\n" + longLine + "\r\nend\r\n");
        awaitMessages(lines, 1);
        String text = lines.messagesFor("user@long.test").get(0).text();
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        // L=990: 989 octets and '!', then the rest after a space
        assertThat(body).isEqualTo("x".repeat(989) + "!\r\n " + "x".repeat(9) + "\r\nend\r\n");
    }

    @Test
    void maxsizeBouncesALargerMessage() throws Exception {
        String id = send("app@example.com", List.of("user@small.test"), "Subject: big\r\n\r\n"
                + ("y".repeat(70) + "\r\n").repeat(30));
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(lines.messagesFor("user@small.test")).isEmpty();
        assertThat(bounceText("user@small.test")).contains("Status: 5.3.4").contains("exceeds the limit of mailer small");
    }

    @Test
    void maxmessagesTwoOpensANewConnectionEveryTwoMessages() throws Exception {
        for (int i = 0; i < 4; i++) {
            send("app@example.com", List.of("r" + i + "@pair.test"), "Subject: " + i + "\r\n\r\nbody\r\n");
        }
        awaitMessages(pair, 4);
        assertThat(pair.connections()).isEqualTo(2);
        assertThat(pair.messages().stream().collect(java.util.stream.Collectors.groupingBy(
                TestMailReceiver.Message::connection, java.util.stream.Collectors.counting())).values())
                .containsExactly(2L, 2L);
    }

    @Test
    void flagMWithRecipientsBatchesUpToRAndWithoutMOneRecipientPerTransaction() throws Exception {
        send("app@example.com", List.of("a@batch.test", "b@batch.test", "c@batch.test", "d@batch.test",
                "e@batch.test"), "Subject: r=2\r\n\r\nbody\r\n");
        awaitMessages(batch, 3);
        assertThat(batch.messages()).extracting(m -> m.rcptTo().size()).containsExactly(2, 2, 1);
        send("app@example.com", List.of("a@single.test", "b@single.test"), "Subject: no m\r\n\r\nbody\r\n");
        awaitMessages(single, 2);
        assertThat(single.messages()).extracting(m -> m.rcptTo().size()).containsExactly(1, 1);
    }

    // ---- E, b ----

    @Test
    void flagsEAndBEscapeFromLinesAndEndWithABlankLine() throws Exception {
        send("app@example.com", List.of("user@mbox.test"), "Subject: mbox\r\n\r\nFrom the start\r\nlast line\r\n");
        awaitMessages(mbox, 1);
        String text = mbox.messages().get(0).text();
        assertThat(text.substring(text.indexOf("\r\n\r\n") + 4)).isEqualTo(">From the start\r\nlast line\r\n\r\n");
    }

    // ---- 8, 9, C= ----

    @Test
    void flag8OfTheRelayMailerSendsEightBitAsItIs() throws Exception {
        byte[] content = ("Subject: 8bit\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n").getBytes(StandardCharsets.UTF_8);
        sendRaw("<app@example.com> BODY=8BITMIME", "user@eight.test", content);
        awaitMessages(eight, 1);
        assertThat(eight.messages().get(0).text()).endsWith("Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n");
        assertThat(eight.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<app@example.com>") && !c.contains("BODY="));
    }

    @Test
    void flag9DecodesQuotedPrintableTextForAnEightBitNextHop() throws Exception {
        send("app@example.com", List.of("user@upgrade.test"), "Subject: qp\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=C3=BC=C3=9Fe\r\n");
        awaitMessages(upgrade, 1);
        assertThat(upgrade.messages().get(0).text()).endsWith("Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n");
        assertThat(upgrade.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<app@example.com>")
                && c.contains(" BODY=8BITMIME"));
    }

    @Test
    void charsetNamesUnlabelledEightBitTextWhenConvertingToSevenBit() throws Exception {
        byte[] latin1 = "Subject: latin\r\n\r\ncaf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        sendRaw("<app@example.com> BODY=8BITMIME", "user@latin.test", latin1);
        awaitMessages(latin, 1);
        assertThat(latin.messages().get(0).text()).contains("Content-Type: text/plain; charset=iso-8859-1")
                .contains("caf=E9");
    }

    // ---- g, p, s, u, h ----

    @Test
    void flagGSendsTheNullSenderAsMailerDaemon() throws Exception {
        sendRaw("<>", "user@nonull.test", "Subject: bounce-ish\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        awaitMessages(nonull, 1);
        assertThat(nonull.messages().get(0).mailFrom()).isEqualTo("MAILER-DAEMON@relay.test");
    }

    @Test
    void flagPSendsARouteAddressReversePath() throws Exception {
        send("app@example.com", List.of("user@routeaddr.test"), "Subject: p\r\n\r\nbody\r\n");
        awaitMessages(routeaddr, 1);
        assertThat(routeaddr.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<@relay.test:app@example.com> "));
    }

    @Test
    void withoutUAndHRecipientsAreLowerCasedWithUTheUserKeepsItsCase() throws Exception {
        send("app@example.com", List.of("John.Doe@Case.TEST"), "Subject: case\r\n\r\nbody\r\n");
        awaitMessages(keepcase, 1);
        assertThat(keepcase.commands()).contains("RCPT TO:<john.doe@case.test>");
        send("app@example.com", List.of("John.Doe@Long.TEST"), "Subject: case\r\n\r\nbody\r\n"); // esmtp has u
        TestMailReceiver.await(Duration.ofSeconds(20), () -> lines.commands().contains("RCPT TO:<John.Doe@long.test>"),
                "the RCPT through esmtp");
    }

    @Test
    void flagSStripsQuotesFromTheLocalPart() throws Exception {
        send("app@example.com", List.of("\"Jane.Doe\"@quotes.test"), "Subject: s\r\n\r\nbody\r\n");
        awaitMessages(quotes, 1);
        assertThat(quotes.commands()).contains("RCPT TO:<Jane.Doe@quotes.test>");
    }

    // ---- k, 0 ----

    @Test
    void aNextHopThatNamesItselfAsUsIsAMailLoopUnlessFlagK() throws Exception {
        String id = send("app@example.com", List.of("user@loop.test"), "Subject: loop\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20));
        assertThat(loop.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(spool.queueIds()).contains(id); // deferred (4.4.6), not bounced
        send("app@example.com", List.of("user@noloop.test"), "Subject: k\r\n\r\nbody\r\n");
        awaitMessages(noloop, 1);
    }

    @Test
    void flag0UsesTheDomainsAddressNotItsMx() throws Exception {
        String id = send("app@example.com", List.of("user@nomx.test"), "Subject: no mx\r\n\r\nbody\r\n");
        awaitMessages(direct, 1);
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(dns.queries("nomx.test", "MX")).isZero();
    }

    // ---- %, W=, T=, q ----

    @Test
    void flagsPercentAndEHoldMailUntilTheFirstQueueRun() throws Exception {
        long start = System.nanoTime();
        String id = send("app@example.com", List.of("user@held.test"), "Subject: held\r\n\r\nbody\r\n");
        String id2 = send("app@example.com", List.of("user@expensive.test"), "Subject: e\r\n\r\nbody\r\n");
        Thread.sleep(2000); // min-backoff 6s: the first retry comes 3 to 6 s after receipt
        assertThat(held.messages()).as("% not attempted on receipt").isEmpty();
        assertThat(expensive.messages()).as("e not attempted on receipt").isEmpty();
        awaitMessages(held, 1);
        awaitMessages(expensive, 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        awaitRemoved(id, Duration.ofSeconds(10));
        awaitRemoved(id2, Duration.ofSeconds(10));
    }

    @Test
    void waitBoundsTheReplyToTheFinalDot() throws Exception {
        String id = send("app@example.com", List.of("user@slow.test"), "Subject: slow\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20));
        // The receiver took the content but answered after 3 s; W=1s gave up: still queued.
        assertThat(slow.messages()).hasSize(1);
        assertThat(spool.queueIds()).contains(id);
    }

    @Test
    void typeNamesTheDsnFieldTypes() throws Exception {
        String id = send("app@example.com", List.of("user@typed.test"), "Subject: typed\r\n\r\nbody\r\n");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(bounceText("user@typed.test")).contains("Final-Recipient: x-addr; user@typed.test")
                .contains("Remote-MTA: x-test; 127.0.0.1").contains("Diagnostic-Code: x-diag; 550 5.1.1 unknown user");
    }

    @Test
    void flagQVerifiesRoutedAddressesWith250() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            SmtpTestClient.Reply verified = client.command("VRFY <someone@vrfy.test>");
            assertThat(verified.code()).isEqualTo(250);
            assertThat(verified.text()).contains("<someone@vrfy.test>");
            assertThat(client.command("VRFY someone@long.test").code()).isEqualTo(252);
        }
    }

    /** The spooled bounce (a message from the null sender) that reports {@code recipient}. */
    private String bounceText(String recipient) throws Exception {
        String[] found = new String[1];
        TestMailReceiver.await(Duration.ofSeconds(10), () -> {
            try {
                for (String id : spool.queueIds()) {
                    if (spool.read(id).envelope().sender().isNullSender()) {
                        String c = content(id);
                        if (c.contains(recipient)) {
                            found[0] = c;
                            return true;
                        }
                    }
                }
                return false;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "a bounce for " + recipient);
        return found[0];
    }
}
