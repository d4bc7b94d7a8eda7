package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.PosternApplication;
import org.postern.smtp.server.SmtpServer;
import org.postern.testing.HealthProbe;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The relay is told to stop (its context closes, as on SIGTERM) while one client is in the middle
 * of DATA and two others (one under TLS) sit between transactions. Readiness goes DOWN first; a new
 * client is greeted with 421; the idle clients get 421 4.3.2 at once and are closed; the client in
 * DATA finishes, gets its 250, then the 421. Its message is delivered during the drain, and the
 * relay stops with an empty spool.
 */
class DrainScenarioTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void drainRefusesNewMailFinishesOpenTransactionsAndDelivers() throws Exception {
        Path spoolDir = Files.createTempDirectory("postern-drain");
        ConfigurableApplicationContext relay = start(spoolDir);
        int smtp = relay.getBean(SmtpServer.class).localPort("MTA");
        int http = ((WebServerApplicationContext) relay).getWebServer().getPort();
        assertThat(HealthProbe.readiness(http).httpStatus()).isEqualTo(200);

        SmtpTestClient inData = SmtpTestClient.connect(smtp);
        SmtpTestClient idle = SmtpTestClient.connect(smtp);
        SmtpTestClient idleTls = SmtpTestClient.connect(smtp);
        try (inData; idle; idleTls) {
            inData.greeting();
            inData.ehlo("client.test");
            assertThat(inData.command("MAIL FROM:<app@example.org>").code()).isEqualTo(250);
            assertThat(inData.command("RCPT TO:<user@example.net>").code()).isEqualTo(250);
            assertThat(inData.command("DATA").code()).isEqualTo(354);
            inData.send("Subject: in flight\r\n\r\nfirst half\r\n");
            idle.greeting();
            idle.ehlo("client.test");
            idleTls.greeting();
            idleTls.ehlo("client.test");
            assertThat(idleTls.command("STARTTLS").code()).isEqualTo(220);
            idleTls.startTls();
            assertThat(idleTls.ehlo("client.test").code()).isEqualTo(250);

            Thread stopping = Thread.ofPlatform().name("sigterm").start(relay::close);

            // Readiness is DOWN while the open transaction holds the drain in its first step.
            TestMailReceiver.await(Duration.ofSeconds(10), () -> readinessStatus(http) == 503, "readiness DOWN");
            HealthProbe.Answer readiness = HealthProbe.readiness(http);
            assertThat(readiness.component("drain").path("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.component("drain").path("details").path("phase").asString()).isEqualTo("sessions");
            assertThat(readiness.component("readinessState").path("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(readiness.component("spool").path("status").asString()).isEqualTo("UP");

            // A new session hears why, and is closed.
            try (SmtpTestClient late = SmtpTestClient.connect(smtp)) {
                SmtpTestClient.Reply greeting = late.greeting();
                assertThat(greeting.code()).isEqualTo(421);
                assertThat(greeting.enhanced()).isEqualTo("4.3.2");
                assertThat(greeting.text()).isEqualTo("4.3.2 Service shutting down");
                assertThat(late.isClosedByServer()).isTrue();
            }

            // The idle session gets the 421 without sending anything, and is closed.
            idle.timeout(5000);
            SmtpTestClient.Reply shuttingDown = idle.read();
            assertThat(shuttingDown.code()).isEqualTo(421);
            assertThat(shuttingDown.enhanced()).isEqualTo("4.3.2");
            assertThat(idle.isClosedByServer()).isTrue();

            // Under TLS too, at once rather than at its idle timeout.
            idleTls.timeout(5000);
            String tlsRest = new String(idleTls.readToEnd(), StandardCharsets.UTF_8);
            assertThat(tlsRest).isEqualTo("421 4.3.2 Service shutting down\r\n");

            // The transaction in progress completes: 250 (durable), then 421 4.3.2.
            inData.send("second half\r\n.\r\n");
            SmtpTestClient.Reply queued = inData.read();
            assertThat(queued.code()).isEqualTo(250);
            SmtpTestClient.Reply after = inData.read();
            assertThat(after.code()).isEqualTo(421);
            assertThat(after.enhanced()).isEqualTo("4.3.2");

            stopping.join(Duration.ofSeconds(30));
            assertThat(stopping.isAlive()).isFalse();
        }
        // Delivered during the drain: nothing is left for the next start.
        List<TestMailReceiver.Message> delivered = receiver.messagesFor("user@example.net");
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).text()).contains("first half").contains("second half");
        try (var files = Files.list(spoolDir.resolve("queue"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    private static int readinessStatus(int http) {
        try {
            return HealthProbe.readiness(http).httpStatus();
        } catch (Exception e) {
            throw new AssertionError(e);
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
                "--postern.routing.smart-host=" + receiver.smartHost(),
                "--postern.dns.servers=127.0.0.1:1",
                "--postern.drain.timeout=20s");
    }
}
