package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mail log as JSON, one property away ({@code logging.structured.format.console=ecs}): a
 * message with one recipient delivered and one refused with 550 gives one JSON line per event on
 * the {@code postern.maillog} logger — queued, sent, bounced, the sender's notification, removed —
 * each with its fields (queue id, recipient, relay, delay, dsn, status, reply) as JSON members.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.structured.format.console=ecs")
class MailLogJsonScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onRcpt(rcpt ->
            rcpt.equals("nobody@example.net") ? "550 5.1.1 <nobody@example.net>: user unknown" : "250 2.1.5 OK");

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void everyMessageEventIsAJsonLineWithItsFields(CapturedOutput output) throws Exception {
        String id = send("sender@example.org", List.of("one@example.net", "nobody@example.net"),
                "Subject: json\r\n\r\nbody\r\n");
        awaitRemoved(id, Duration.ofSeconds(20));
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messagesFor("sender@example.org").size() == 1,
                "the DSN");
        String relay = "127.0.0.1[127.0.0.1]:" + receiver.port();

        TestMailReceiver.await(Duration.ofSeconds(10), () -> mailLog(output.getOut(), id).stream()
                .anyMatch(n -> n.path("status").asString().equals("removed")), "the mail log of " + id);
        List<JsonNode> log = mailLog(output.getOut(), id);

        JsonNode queued = only(log, "queued", null);
        assertThat(queued.path("sender").asString()).isEqualTo("sender@example.org");
        assertThat(queued.path("nrcpt").asInt()).isEqualTo(2);
        assertThat(queued.path("client").asString()).isEqualTo("[127.0.0.1]");
        assertThat(queued.path("message").asString()).startsWith(id + ": from=<sender@example.org>, size=");

        JsonNode sent = only(log, "sent", "one@example.net");
        assertThat(sent.path("relay").asString()).isEqualTo(relay);
        assertThat(sent.path("dsn").asString()).startsWith("2.");
        assertThat(sent.path("delay").isNumber()).isTrue();
        assertThat(sent.path("delay").asDouble()).isBetween(0.0, 20.0);
        assertThat(sent.path("reply").asString()).startsWith("250");
        assertThat(sent.path("message").asString()).matches(java.util.regex.Pattern.quote(id
                + ": to=<one@example.net>, relay=" + relay + ", delay=") + "[0-9.]+, dsn=2\\.\\d\\.\\d, status=sent \\(250.*\\)");

        JsonNode bounced = only(log, "bounced", "nobody@example.net");
        assertThat(bounced.path("relay").asString()).isEqualTo(relay);
        assertThat(bounced.path("dsn").asString()).isEqualTo("5.1.1");
        assertThat(bounced.path("reply").asString()).isEqualTo("550 5.1.1 <nobody@example.net>: user unknown");

        JsonNode notified = only(log, "notified", null);
        assertThat(notified.path("notification").asString()).isEqualTo("failure");
        assertThat(notified.path("notification_id").asString()).isEqualTo(id + "-D");
        assertThat(notified.path("message").asString()).isEqualTo(id + ": sender non-delivery notification: "
                + id + "-D");
        only(log, "removed", null);
    }

    /** The JSON lines of the mail log about one message (the ECS layout nests the logger name under "log"). */
    private static List<JsonNode> mailLog(String out, String queueId) {
        JsonMapper json = JsonMapper.shared();
        return out.lines().filter(l -> l.startsWith("{")).map(json::readTree)
                .filter(n -> n.path("log").path("logger").asString().equals("postern.maillog"))
                .filter(n -> n.path("queue_id").asString().equals(queueId))
                .toList();
    }

    private static JsonNode only(List<JsonNode> log, String status, String recipient) {
        List<JsonNode> found = log.stream().filter(n -> n.path("status").asString().equals(status))
                .filter(n -> recipient == null || n.path("recipient").asString().equals(recipient)).toList();
        assertThat(found).as("mail log lines with status=" + status + " in " + log).hasSize(1);
        return found.get(0);
    }
}
