package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.PosternApplication;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The operator puts a deferred message on hold (Postfix {@code postsuper -h}): when its next hop
 * comes back, a flush delivers the other waiting message but not the held one; after a restart on
 * the same spool it is still held, and a flush still leaves it alone; released
 * ({@code postsuper -H}), it is delivered at once, exactly once.
 */
@ExtendWith(OutputCaptureExtension.class)
class QueueHoldScenarioTest {

    static volatile boolean accepting;
    static final TestMailReceiver receiver = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> accepting ? "250 2.1.5 OK" : "451 4.3.0 try again later");

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void aHeldMessageWaitsThroughFlushAndRestartUntilReleased(CapturedOutput output) throws Exception {
        Path spoolDir = Files.createTempDirectory("postern-hold");
        String held;
        try (ConfigurableApplicationContext first = start(spoolDir)) {
            QueueApi api = api(first);
            int smtp = first.getBean(SmtpServer.class).localPort("MTA");
            held = send(smtp, "held@example.net");
            String other = send(smtp, "other@example.net");
            Spool spool = first.getBean(Spool.class);
            awaitAttempts(spool, held, 1);
            awaitAttempts(spool, other, 1);

            QueueApi.Response hold = api.action(held, "hold");
            assertThat(hold.status()).isEqualTo(200);
            assertThat(hold.json().path("messages").asInt()).isEqualTo(1);
            assertThat(api.action(held, "hold").json().path("result").asString()).startsWith("already on hold");
            assertThat(api.get("?state=held").ids()).containsExactly(held);

            accepting = true;
            assertThat(api.flush().json().path("messages").asInt()).isEqualTo(1); // the other one only
            TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messagesFor("other@example.net").size() == 1,
                    "the waiting message");
            QueueApi.Response single = api.action(held, "flush");
            assertThat(single.json().path("messages").asInt()).isZero();
            assertThat(single.json().path("result").asString()).contains("on hold");
            int attempts = spool.read(held).schedule().attempts();
            Thread.sleep(1000);
            assertThat(receiver.messagesFor("held@example.net")).isEmpty();
            assertThat(spool.read(held).schedule().attempts()).isEqualTo(attempts);
            assertThat(spool.read(held).held()).isTrue();
        }

        try (ConfigurableApplicationContext second = start(spoolDir)) {
            QueueApi api = api(second);
            QueueApi.Response shown = api.show(held);
            assertThat(shown.json().path("held").asBoolean()).isTrue();
            assertThat(shown.json().path("state").asString()).isEqualTo("held");
            assertThat(api.flush().json().path("messages").asInt()).isZero(); // would deliver it if not held
            Thread.sleep(1500);
            assertThat(receiver.messagesFor("held@example.net")).isEmpty();

            QueueApi.Response release = api.action(held, "release");
            assertThat(release.status()).isEqualTo(200);
            assertThat(release.json().path("messages").asInt()).isEqualTo(1);
            Spool spool = second.getBean(Spool.class);
            TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messagesFor("held@example.net").size() == 1,
                    "the released message");
            TestMailReceiver.await(Duration.ofSeconds(10), () -> ids(spool).isEmpty(), "an empty spool");
            assertThat(api.action(held, "release").status()).isEqualTo(404);
        }
        assertThat(receiver.messagesFor("held@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("other@example.net")).hasSize(1);
        assertThat(output.getAll()).contains(held + ": from=<app@example.org>, status=held (placed on hold by the postmaster)")
                .contains(held + ": from=<app@example.org>, status=released (released from hold by the postmaster)");
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
                "--postern.queue.min-backoff=1h", "--postern.queue.max-backoff=1h",
                "--postern.queue-endpoint.write-enabled=true");
    }

    private static QueueApi api(ConfigurableApplicationContext context) {
        return new QueueApi(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    private static String send(int port, String to) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(port)) {
            client.greeting();
            client.ehlo("client.test");
            SmtpTestClient.Reply r = client.sendMessage("app@example.org", List.of(to), "Subject: hold\r\n\r\nbody\r\n");
            assertThat(r.code()).isEqualTo(250);
            return SmtpTestClient.queueId(r);
        }
    }

    private static void awaitAttempts(Spool spool, String id, int n) throws InterruptedException {
        TestMailReceiver.await(Duration.ofSeconds(20), () -> {
            try {
                return spool.read(id).schedule().attempts() >= n;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, id + " attempted");
    }

    private static List<String> ids(Spool spool) {
        try {
            return spool.queueIds();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
