package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.postern.smtp.Envelope;
import org.postern.testing.HealthProbe;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the hostile-input tests: the whole relay, delivering to a real receiver on loopback (the
 * smart host), and after every test the proof that the attack left it healthy: a fresh session from
 * a relay client gets 220, relays a message that reaches the receiver, and readiness is UP.
 * The receiver is shared by all these tests, so "nothing from the attacker was delivered" is
 * checked over everything it ever received.
 */
@DirtiesContext
abstract class HostileInputBase extends PosternTest {

    /** The next hop for every message these tests relay. */
    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @DynamicPropertySource
    static void smartHost(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @LocalServerPort
    int httpPort;

    @AfterEach
    void serviceIsStillHealthy() throws Exception {
        assertHealthy();
    }

    /** A normal client, after the attack: greeted, relays a message that is delivered; readiness UP. */
    void assertHealthy() throws Exception {
        awaitSessionsClosed(Duration.ofSeconds(15));
        String marker = "healthy-" + UUID.randomUUID();
        try (SmtpTestClient client = SmtpTestClient.connectFrom("127.0.0.1", smtpPort())) {
            Reply greeting = client.greeting();
            assertThat(greeting.code()).as("greeting of a fresh session: %s", greeting).isEqualTo(220);
            assertReply(client.ehlo("healthy.test"), 250, null);
            Reply queued = client.sendMessage("health@example.com", List.of("health@example.net"),
                    "Subject: " + marker + "\r\n\r\nstill relaying\r\n");
            assertReply(queued, 250, "2.0.0");
            assertReply(client.command("QUIT"), 221, "2.0.0");
        }
        TestMailReceiver.await(Duration.ofSeconds(30),
                () -> receiver.messages().stream().anyMatch(m -> m.text().contains(marker)), "delivery of " + marker);
        HealthProbe.Answer readiness = HealthProbe.readiness(httpPort);
        assertThat(readiness.httpStatus()).as("readiness: %s", readiness).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo("UP");
    }

    /** Waits until every SMTP session has ended, e.g. the attacker's, after the test closed its side. */
    void awaitSessionsClosed(Duration timeout) throws InterruptedException {
        TestMailReceiver.await(timeout, () -> smtpServer.activeSessions() == 0,
                "the SMTP sessions to end (" + smtpServer.activeSessions() + " open)");
    }

    /** The envelopes now in the spool, skipping those delivered (and removed) while being listed. */
    List<Envelope> spooledEnvelopes() throws IOException {
        List<Envelope> all = new java.util.ArrayList<>();
        for (String id : spool.queueIds()) {
            try {
                all.add(spool.read(id).envelope());
            } catch (java.nio.file.NoSuchFileException gone) {
                // delivered meanwhile: the receiver's record is checked instead
            }
        }
        return all;
    }

    /** Nothing from {@code sender} is in the spool or ever reached the receiver. */
    void assertNothingFrom(String sender) throws IOException {
        for (Envelope e : spooledEnvelopes()) {
            assertThat(e.sender().toString()).as("spooled sender").isNotEqualToIgnoringCase(sender);
        }
        assertThat(receiver.messages()).as("delivered messages").noneMatch(m -> sender.equalsIgnoreCase(m.mailFrom()));
        assertThat(receiver.commands()).as("commands the receiver saw")
                .noneMatch(c -> c.toLowerCase(java.util.Locale.ROOT).contains(sender.toLowerCase(java.util.Locale.ROOT))
                        && c.toUpperCase(java.util.Locale.ROOT).startsWith("MAIL"));
    }

    /** Nothing addressed to {@code recipient} is in the spool or ever reached the receiver. */
    void assertNothingTo(String recipient) throws IOException {
        for (Envelope e : spooledEnvelopes()) {
            assertThat(e.recipients()).noneMatch(r -> r.address().toString().equalsIgnoreCase(recipient));
        }
        assertThat(receiver.messagesFor(recipient)).as("delivered to %s", recipient).isEmpty();
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }
}
