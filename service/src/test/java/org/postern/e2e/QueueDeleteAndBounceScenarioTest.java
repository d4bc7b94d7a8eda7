package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.testing.DsnReport;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Mail stuck behind a next hop that keeps deferring: the operator deletes one message (its spool
 * file goes, nobody is notified) and returns another, held, to its sender: both its recipients
 * fail with 5.0.0 and the sender's own next hop receives an RFC 3464 failure report. A message
 * from the null sender returned the same way is dropped, never bounced.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1h",
        "postern.queue.max-backoff=1h",
        "postern.queue-endpoint.write-enabled=true",
})
class QueueDeleteAndBounceScenarioTest extends PosternTest {

    static final TestMailReceiver stuck = TestMailReceiver.unchecked().onRcpt(rcpt -> "451 4.3.0 try again later");
    static final TestMailReceiver senders = TestMailReceiver.unchecked("127.0.0.2");

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[stuck.test]", stuck::smartHost);
        registry.add("postern.routing.domains.[sender.test]", senders::smartHost);
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        stuck.close();
        senders.close();
    }

    @Test
    void deleteDropsSilentlyAndBounceReturnsToTheSender(CapturedOutput output) throws Exception {
        QueueApi api = new QueueApi(httpPort);
        String deleted = send("app@sender.test", List.of("x@stuck.test"), "Subject: delete me\r\n\r\nbody\r\n");
        String returned = send("app@sender.test", List.of("y@stuck.test", "z@stuck.test"),
                "Subject: return me\r\nMessage-ID: <r1@sender.test>\r\n\r\nbody\r\n");
        String fromNull = send("", List.of("w@stuck.test"), "Subject: a bounce\r\n\r\nbody\r\n");
        for (String id : List.of(deleted, returned, fromNull)) {
            awaitAttempts(id, 1, Duration.ofSeconds(20));
        }

        // Delete: the file is gone at once, the queue forgets it, nobody hears of it.
        QueueApi.Response delete = api.delete("/" + deleted);
        assertThat(delete.status()).isEqualTo(200);
        assertThat(delete.json().path("action").asString()).isEqualTo("delete");
        assertThat(delete.json().path("recipients").asInt()).isEqualTo(1); // not delivered
        assertThat(Files.exists(spool.directory().resolve("queue").resolve(deleted))).isFalse();
        assertThat(api.show(deleted).status()).isEqualTo(404);
        assertThat(api.get("").ids()).containsExactly(returned, fromNull);
        assertThat(api.delete("/" + deleted).status()).isEqualTo(404);

        // Bounce a held message: released for it, every pending recipient fails, the sender is told.
        assertThat(api.action(returned, "hold").status()).isEqualTo(200);
        QueueApi.Response bounce = api.action(returned, "bounce");
        assertThat(bounce.status()).isEqualTo(200);
        assertThat(bounce.json().path("recipients").asInt()).isEqualTo(2);
        TestMailReceiver.await(Duration.ofSeconds(20), () -> senders.messagesFor("app@sender.test").size() == 1,
                "the DSN to the sender");
        awaitRemoved(returned, Duration.ofSeconds(10));
        TestMailReceiver.Message report = senders.messagesFor("app@sender.test").get(0);
        assertThat(report.mailFrom()).isEmpty();
        DsnReport dsn = DsnReport.parse(report.data());
        assertThat(dsn.reportType()).isEqualTo("delivery-status");
        assertThat(dsn.perMessage().get("reporting-mta")).isEqualTo("dns; relay.test");
        assertThat(dsn.recipients()).hasSize(2);
        for (String rcpt : List.of("y@stuck.test", "z@stuck.test")) {
            Map<String, String> r = dsn.recipient(rcpt);
            assertThat(r.get("action")).isEqualTo("failed");
            assertThat(r.get("status")).isEqualTo("5.0.0");
            assertThat(r.get("diagnostic-code")).contains("returned to sender by the postmaster");
            assertThat(r).doesNotContainKey("remote-mta");
        }
        assertThat(dsn.returnedType()).startsWith("message/rfc822");
        assertThat(dsn.returned()).contains("Subject: return me");

        // From the null sender: nothing to return it to; it leaves the queue without a report.
        assertThat(api.action(fromNull, "bounce").status()).isEqualTo(200);
        awaitRemoved(fromNull, Duration.ofSeconds(10));

        Thread.sleep(1000); // no DSN for the deleted message or the null sender's, nor a second one
        assertThat(senders.messages()).hasSize(1);
        assertThat(stuck.messages()).isEmpty();
        TestMailReceiver.await(Duration.ofSeconds(10), () -> {
            try {
                return spool.queueIds().isEmpty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "an empty spool");
        assertThat(output.getAll())
                .contains(deleted + ": from=<app@sender.test>, status=deleted (deleted by the postmaster; "
                        + "1 recipients not delivered, no notification sent)")
                .containsPattern(returned + ": to=<y@stuck.test>, relay=none, delay=[0-9.]+, dsn=5.0.0, "
                        + "status=bounced \\(message returned to sender by the postmaster\\)")
                .contains(returned + ": sender non-delivery notification: " + returned + "-D")
                .contains("undeliverable mail from the null sender");
    }
}
