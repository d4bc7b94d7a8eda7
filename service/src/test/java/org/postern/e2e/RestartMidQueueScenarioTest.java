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
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A restart in the middle of a queue re-sends only what was pending: of two recipients, one is
 * delivered and one deferred; after a restart on the same spool the deferred one is delivered and
 * the first is not delivered again.
 */
class RestartMidQueueScenarioTest {

    static volatile boolean laterAccepted;
    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onRcpt(rcpt ->
            rcpt.equals("later@example.net") && !laterAccepted ? "451 4.2.0 mailbox busy" : "250 2.1.5 OK");

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void restartResendsOnlyPendingRecipients() throws Exception {
        Path spoolDir = Files.createTempDirectory("postern-restart");
        String id;
        try (ConfigurableApplicationContext first = start(spoolDir)) {
            int port = first.getBean(SmtpServer.class).localPort("MTA");
            try (SmtpTestClient client = SmtpTestClient.connect(port)) {
                client.greeting();
                client.ehlo("client.test");
                SmtpTestClient.Reply r = client.sendMessage("app@example.org",
                        List.of("now@example.net", "later@example.net"), "Subject: restart\r\n\r\nbody\r\n");
                assertThat(r.code()).isEqualTo(250);
                id = SmtpTestClient.queueId(r);
            }
            Spool spool = first.getBean(Spool.class);
            TestMailReceiver.await(Duration.ofSeconds(20), () -> attempts(spool, id) >= 1, "the first attempt");
            assertThat(spool.read(id).states()).containsExactly(RecipientState.DELIVERED, RecipientState.PENDING);
        }
        assertThat(receiver.messagesFor("now@example.net")).hasSize(1);

        laterAccepted = true;
        try (ConfigurableApplicationContext second = start(spoolDir)) {
            Spool spool = second.getBean(Spool.class);
            TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messagesFor("later@example.net").size() == 1,
                    "the pending recipient after the restart");
            TestMailReceiver.await(Duration.ofSeconds(10), () -> queueIds(spool).isEmpty(), "an empty spool");
        }
        assertThat(receiver.messagesFor("now@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("later@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("later@example.net").get(0).rcptTo()).containsExactly("later@example.net");
    }

    private static ConfigurableApplicationContext start(Path spoolDir) {
        return new SpringApplicationBuilder(PosternApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0",
                "--postern.hostname=relay.test",
                "--postern.daemon-ports[0].name=MTA", "--postern.daemon-ports[0].addr=127.0.0.1",
                "--postern.daemon-ports[0].port=0",
                "--postern.spool.directory=" + spoolDir,
                "--postern.routing.smart-host=" + receiver.smartHost(),
                "--postern.dns.servers=127.0.0.1:1",
                // The persisted next attempt (at most 3 s away) is what brings the pending
                // recipient back after the restart.
                "--postern.queue.min-backoff=3s", "--postern.queue.max-backoff=3s");
    }

    private static int attempts(Spool spool, String id) {
        try {
            return spool.read(id).schedule().attempts();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> queueIds(Spool spool) {
        try {
            return spool.queueIds();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
