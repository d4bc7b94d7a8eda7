package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator scrapes {@code /actuator/prometheus} over HTTP: while a next hop defers (the queue
 * gauges show a waiting, ageing message), then after it accepts again: recipients delivered through
 * the smart host, one refused with 550 (bounced, its DSN delivered too), one discarded by a route,
 * one message over the size limit. Each meter shows it under bounded labels.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1s",
        "postern.queue.max-backoff=2s",
        "postern.limits.max-message-size=4KB",
        "postern.routing.domains.[discard.test]=discard:",
})
class MetricsScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void prometheusEndpointShowsWhatTheRelayDid() throws Exception {
        // A next hop that defers: the message waits in the queue, and ages.
        receiver.onRcpt(rcpt -> "451 4.3.0 try again later");
        String waiting = send("sender@example.org", List.of("later@example.net"), "Subject: wait\r\n\r\nbody\r\n");
        awaitAttempts(waiting, 1, Duration.ofSeconds(20));
        Thread.sleep(1100);
        String text = scrape();
        assertThat(value(text, "postern_queue_messages", "state=\"waiting\"")
                + value(text, "postern_queue_messages", "state=\"active\"")).isEqualTo(1.0);
        assertThat(value(text, "postern_queue_oldest_message_age_seconds", "")).isGreaterThanOrEqualTo(1.0);
        assertThat(value(text, "postern_recipients_deferred_total", "mailer=\"relay\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(value(text, "postern_spool_bytes", "")).isGreaterThan(0.0);

        // It accepts again: one delivered, one refused (bounced, and its DSN delivered), one discarded.
        receiver.onRcpt(rcpt -> rcpt.equals("nobody@example.net") ? "550 5.1.1 <nobody@example.net>: user unknown"
                : "250 2.1.5 OK");
        String id = send("sender@example.org", List.of("one@example.net", "nobody@example.net", "x@discard.test"),
                "Subject: metrics\r\n\r\nbody\r\n");
        try (SmtpTestClient client = connectEhlo()) {
            SmtpTestClient.Reply tooBig = client.sendMessage("sender@example.org", List.of("one@example.net"),
                    "Subject: big\r\n\r\n" + "x".repeat(70).concat("\r\n").repeat(100));
            assertThat(tooBig.code()).isEqualTo(552);
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messagesFor("sender@example.org").size() == 1,
                "the DSN for the 550");
        awaitRemoved(id, Duration.ofSeconds(10));
        TestMailReceiver.await(Duration.ofSeconds(20), () -> {
            try {
                return spool.queueIds().isEmpty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "the retried message and the DSN to leave the spool");
        // The spool file goes before the outcome's meters are recorded and the message leaves the
        // active set: wait for those too, then check everything in one scrape.
        TestMailReceiver.await(Duration.ofSeconds(10), () -> {
            try {
                String now = scrape();
                return value(now, "postern_delivery_duration_seconds_count", "") == 3.0
                        && value(now, "postern_queue_messages", "state=\"active\"") == 0.0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the third delivery to be timed and the active set to empty");

        text = scrape();
        // Two messages accepted over SMTP (the DSN is queued internally); the oversized one rejected.
        assertThat(value(text, "postern_messages_received_total", "listener=\"MTA\",outcome=\"accepted\""))
                .isEqualTo(2.0);
        assertThat(value(text, "postern_messages_received_total", "listener=\"MTA\",outcome=\"rejected_size\""))
                .isEqualTo(1.0);
        // later@, one@ and the DSN to sender@ went through the relay mailer; x@discard.test was discarded.
        assertThat(value(text, "postern_recipients_delivered_total", "mailer=\"relay\"")).isEqualTo(3.0);
        assertThat(value(text, "postern_recipients_delivered_total", "mailer=\"discard\"")).isEqualTo(1.0);
        assertThat(value(text, "postern_recipients_bounced_total", "mailer=\"relay\"")).isEqualTo(1.0);
        // Every connection the next hop accepted, however many the connection cache saved (how many
        // depends on timing: a session idle for under connection-cache-time is reused).
        assertThat(value(text, "postern_outbound_connections_total", "outcome=\"connected\",tls=\"false\""))
                .isEqualTo((double) receiver.connections()).isGreaterThanOrEqualTo(1.0);
        assertThat(value(text, "postern_delivery_duration_seconds_count", "")).isEqualTo(3.0);
        assertThat(value(text, "postern_delivery_duration_seconds_sum", "")).isGreaterThanOrEqualTo(1.0);
        assertThat(text).contains("postern_delivery_duration_seconds_bucket{le=");
        assertThat(value(text, "postern_queue_messages", "state=\"active\"")).isEqualTo(0.0);
        assertThat(value(text, "postern_queue_messages", "state=\"waiting\"")).isEqualTo(0.0);
        assertThat(value(text, "postern_queue_oldest_message_age_seconds", "")).isEqualTo(0.0);
        assertThat(value(text, "postern_smtp_sessions_active", "listener=\"MTA\"")).isEqualTo(0.0);
        assertThat(value(text, "postern_spool_quarantined_total", "")).isEqualTo(0.0);
        // No label carries a domain or a queue id.
        assertThat(text).doesNotContain("example.net").doesNotContain("discard.test").doesNotContain(id);
    }

    private String scrape() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    /** The sample's value for a metric with exactly these labels (as Prometheus prints them, sorted). */
    private static double value(String text, String metric, String labels) {
        String head = labels.isEmpty() ? Pattern.quote(metric) + "(?:\\{\\})?"
                : Pattern.quote(metric + "{" + labels) + ",?\\}";
        Matcher m = Pattern.compile("(?m)^" + head + " (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample " + metric + "{" + labels + "} in:\n" + grep(text, metric));
        }
        return Double.parseDouble(m.group(1));
    }

    private static String grep(String text, String metric) {
        return text.lines().filter(l -> l.contains(metric.replaceAll("_(total|count)$", ""))).reduce("",
                (a, b) -> a + b + "\n");
    }
}
