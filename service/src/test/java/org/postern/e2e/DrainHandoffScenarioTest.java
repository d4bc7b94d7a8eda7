package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.PosternApplication;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.RecipientState;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpooledMessage;
import org.postern.testing.DsnReport;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A replica is scaled down with mail still queued: its normal next hop is unreachable, so three
 * messages wait for a retry an hour away. With {@code postern.drain.handoff} naming a peer relay, the
 * drain relays every pending recipient to the peer with its envelope and DSN parameters (RET,
 * ENVID, BODY, SMTPUTF8; NOTIFY, ORCPT), skips recipients already final (one delivered directly, one
 * bounced), hands off the bounce the completed message now owes its sender, and removes what was
 * handed off. One recipient the peer refuses (451) keeps its message in the spool, its handed-off
 * sibling recorded as delivered, and the drain still ends at its timeout.
 */
class DrainHandoffScenarioTest {

    static final TestMailReceiver direct = TestMailReceiver.unchecked();
    static final TestMailReceiver peer = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> rcpt.equals("stuck@example.net") ? "451 4.3.0 not now" : "250 2.1.5 OK");

    @AfterAll
    static void closeReceivers() throws Exception {
        direct.close();
        peer.close();
    }

    @Test
    void drainHandsQueuedMailToThePeer() throws Exception {
        Path spoolDir = Files.createTempDirectory("postern-handoff");
        ConfigurableApplicationContext relay = start(spoolDir);
        int smtp = relay.getBean(SmtpServer.class).localPort("MTA");
        Spool spool = relay.getBean(Spool.class);
        String first;
        String second;
        String third;
        try (SmtpTestClient client = SmtpTestClient.connect(smtp)) {
            client.greeting();
            client.ehlo("client.test");
            first = send(client, "MAIL FROM:<alice@example.org> RET=HDRS ENVID=env+2D1 BODY=8BITMIME SMTPUTF8",
                    List.of("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net",
                            "RCPT TO:<carol@ok.test>",
                            "RCPT TO:<nobody@bad.test>"),
                    "Subject: first\r\n\r\nGr\u00fc\u00dfe\r\n");
            second = send(client, "MAIL FROM:<dave@example.org>",
                    List.of("RCPT TO:<erin@example.net>", "RCPT TO:<stuck@example.net>"), "Subject: second\r\n\r\nb\r\n");
            third = send(client, "MAIL FROM:<frank@example.org>",
                    List.of("RCPT TO:<grace@example.net> NOTIFY=NEVER"), "Subject: third\r\n\r\nc\r\n");
        }
        for (String id : List.of(first, second, third)) {
            TestMailReceiver.await(Duration.ofSeconds(20), () -> attempts(spool, id) >= 1, id + " attempted");
        }
        assertThat(spool.read(first).states()).containsExactly(RecipientState.PENDING, RecipientState.DELIVERED,
                RecipientState.FAILED);
        assertThat(peer.messages()).isEmpty();

        long started = System.nanoTime();
        relay.close(); // as on SIGTERM: the drain runs inside
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // Bounded by postern.drain.timeout (6 s), though the peer kept refusing one recipient throughout.
        assertThat(took).isLessThan(Duration.ofSeconds(15));

        // The first message, to its one pending recipient, with every parameter the client gave.
        List<TestMailReceiver.Message> toBob = peer.messagesFor("bob@example.net");
        assertThat(toBob).hasSize(1);
        assertThat(toBob.get(0).mailFrom()).isEqualTo("alice@example.org");
        assertThat(toBob.get(0).rcptTo()).containsExactly("bob@example.net");
        assertThat(toBob.get(0).text()).contains("Subject: first").contains("Gr\u00fc\u00dfe");
        String mailFrom = peer.commands().stream().filter(c -> c.startsWith("MAIL FROM:<alice@example.org>"))
                .findFirst().orElseThrow();
        assertThat(mailFrom).contains(" RET=HDRS", " ENVID=env+2D1", " BODY=8BITMIME", " SMTPUTF8");
        assertThat(peer.commands()).contains("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net");
        assertThat(peer.messagesFor("carol@ok.test")).isEmpty(); // delivered directly before the drain
        assertThat(direct.messagesFor("carol@ok.test")).hasSize(1);
        assertThat(peer.messagesFor("nobody@bad.test")).isEmpty(); // bounced before the drain

        // Completing the first message spooled its bounce for nobody@bad.test: handed off as well.
        List<TestMailReceiver.Message> toAlice = peer.messagesFor("alice@example.org");
        assertThat(toAlice).hasSize(1);
        assertThat(toAlice.get(0).mailFrom()).isEmpty();
        DsnReport dsn = DsnReport.parse(toAlice.get(0).data());
        assertThat(dsn.recipient("nobody@bad.test").get("action")).isEqualTo("failed");
        assertThat(dsn.perMessage().get("original-envelope-id")).isEqualTo("env+2D1"); // as given, in xtext

        assertThat(peer.messagesFor("erin@example.net")).hasSize(1);
        assertThat(peer.messagesFor("stuck@example.net")).isEmpty();
        assertThat(peer.messagesFor("grace@example.net")).hasSize(1);
        assertThat(peer.commands()).contains("RCPT TO:<grace@example.net> NOTIFY=NEVER");

        // Only the message with the refused recipient is left, for the next start.
        try (Spool after = Spool.open(new SpoolOptions(spoolDir, Duration.ZERO), SpoolEvents.NONE)) {
            assertThat(after.recovered()).extracting(SpooledMessage::queueId).containsExactly(second);
            assertThat(after.recovered().get(0).states()).containsExactly(RecipientState.DELIVERED,
                    RecipientState.PENDING);
        }
    }

    private static String send(SmtpTestClient client, String mail, List<String> rcpts, String content)
            throws Exception {
        assertThat(client.command(mail).code()).isEqualTo(250);
        for (String rcpt : rcpts) {
            assertThat(client.command(rcpt).code()).isEqualTo(250);
        }
        assertThat(client.command("DATA").code()).isEqualTo(354);
        client.send(content + ".\r\n");
        return SmtpTestClient.queueId(client.read());
    }

    private static int attempts(Spool spool, String id) {
        try {
            return spool.read(id).schedule().attempts();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ConfigurableApplicationContext start(Path spoolDir) {
        return new SpringApplicationBuilder(PosternApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0",
                "--spring.main.register-shutdown-hook=false",
                "--postern.hostname=relay.test",
                "--postern.daemon-ports[0].name=MTA", "--postern.daemon-ports[0].addr=127.0.0.1",
                "--postern.daemon-ports[0].port=0",
                "--postern.spool.directory=" + spoolDir,
                // The normal next hop is unreachable (nothing listens on port 1): mail waits an hour.
                "--postern.routing.smart-host=[127.0.0.1]:1",
                "--postern.routing.domains.[ok.test]=" + direct.smartHost(),
                "--postern.routing.domains.[bad.test]=error:5.1.1:550 no such user",
                "--postern.dns.servers=127.0.0.1:1",
                "--postern.queue.min-backoff=1h", "--postern.queue.max-backoff=1h",
                "--postern.drain.timeout=6s",
                "--postern.drain.handoff=" + peer.smartHost());
    }
}
