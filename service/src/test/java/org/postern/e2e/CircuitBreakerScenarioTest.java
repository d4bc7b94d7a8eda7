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
import org.junit.jupiter.api.extension.ExtendWith;
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
 * The smart host fails every session: it answers 421 at the greeting. After three failed
 * connections its circuit opens; mail is then deferred without connecting (the receiver counts no
 * new connection) while the retry schedule goes on, and the {@code destinations} health and the
 * Resilience4j meters show the open circuit. After the wait, one half-open probe connects: when
 * the smart host still fails (closing the connection unanswered), the circuit opens again; once it
 * behaves, the next probe closes the circuit and the waiting mail is delivered.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "postern.queue.min-backoff=300ms",
        "postern.queue.max-backoff=600ms",
        "management.endpoint.health.show-details=always",
        "resilience4j.circuitbreaker.instances[127.0.0.1].sliding-window-size=4",
        "resilience4j.circuitbreaker.instances[127.0.0.1].minimum-number-of-calls=3",
        "resilience4j.circuitbreaker.instances[127.0.0.1].wait-duration-in-open-state=4s",
})
class CircuitBreakerScenarioTest extends PosternTest {

    /** What the smart host does at the greeting: 0 works, 1 answers 421, 2 closes the connection unanswered. */
    static volatile int mode = 1;
    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onConnect(n -> switch (mode) {
        case 0 -> "220 receiver.test ESMTP";
        case 1 -> "421 4.3.2 service not available";
        default -> null;
    });

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void circuitOpensDefersWithoutConnectingThenProbesAndRecovers(CapturedOutput output) throws Exception {
        String first = send("sender@example.org", List.of("one@example.net"), "Subject: 1\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> circuitState().equals("OPEN"), "the circuit to open");
        assertThat(receiver.connections()).isEqualTo(3); // the minimum number of calls, all failed

        // Open: the retry schedule goes on, but nothing connects.
        String second = send("sender@example.org", List.of("two@example.net"), "Subject: 2\r\n\r\nbody\r\n");
        int attempts = spool.read(first).schedule().attempts();
        awaitAttempts(first, attempts + 2, Duration.ofSeconds(3));
        awaitAttempts(second, 1, Duration.ofSeconds(3));
        assertThat(receiver.connections()).isEqualTo(3);
        assertThat(output.getAll()).contains("circuit open for 127.0.0.1");
        HttpResponse<String> health = get("/actuator/health/destinations");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"CIRCUIT_OPEN\"").contains("\"127.0.0.1\":{")
                .contains("\"state\":\"OPEN\"");
        HttpResponse<String> overall = get("/actuator/health");
        assertThat(overall.statusCode()).as("the relay still works: HTTP 200").isEqualTo(200);
        assertThat(overall.body()).endsWith("\"status\":\"CIRCUIT_OPEN\"}");
        String metrics = get("/actuator/prometheus").body();
        assertThat(value(metrics, "resilience4j_circuitbreaker_state", "name=\"127.0.0.1\",state=\"open\""))
                .isEqualTo(1.0);
        assertThat(value(metrics, "resilience4j_circuitbreaker_not_permitted_calls_total",
                "kind=\"not_permitted\",name=\"127.0.0.1\"")).isGreaterThanOrEqualTo(2.0);
        assertThat(spool.queueIds()).contains(first, second); // deferred, not bounced

        // After the wait, one probe; the smart host now drops the connection: open again.
        mode = 2;
        TestMailReceiver.await(Duration.ofSeconds(10), () -> receiver.connections() == 4, "the half-open probe");
        TestMailReceiver.await(Duration.ofSeconds(2), () -> circuitState().equals("OPEN"), "the circuit to re-open");
        Thread.sleep(1500);
        assertThat(receiver.connections()).as("no connection but the one probe").isEqualTo(4);

        // The smart host recovers: the next probe succeeds, the circuit closes, the mail goes.
        mode = 0;
        awaitRemoved(first, Duration.ofSeconds(15));
        awaitRemoved(second, Duration.ofSeconds(5));
        assertThat(receiver.messagesFor("one@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("two@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("sender@example.org")).as("no bounce").isEmpty();
        assertThat(circuitState()).isEqualTo("CLOSED");
        assertThat(get("/actuator/health/destinations").body()).contains("\"status\":\"UP\"");
    }

    private String circuitState() {
        try {
            Matcher m = Pattern.compile("\"127\\.0\\.0\\.1\":\\{[^}]*\"state\":\"([A-Z_]+)\"")
                    .matcher(get("/actuator/health/destinations").body());
            return m.find() ? m.group(1) : "?";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The sample's value for a metric with exactly these labels (as Prometheus prints them, sorted). */
    static double value(String text, String metric, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels) + ",?\\} (\\S+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample " + metric + "{" + labels + "} in:\n" + text.lines()
                    .filter(l -> l.startsWith(metric)).reduce("", (a, b) -> a + b + "\n"));
        }
        return Double.parseDouble(m.group(1));
    }
}
