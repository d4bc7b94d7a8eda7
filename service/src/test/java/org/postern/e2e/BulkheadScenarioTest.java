package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
 * A bulkhead of one for the smart host: however much mail waits, it never has more than one
 * connection open. A slow route without a bulkhead, fed the same way, gets several at once. Two
 * routes to one host on different ports share its bulkhead: mail for the second, while the first
 * holds the only permit, is deferred and delivered on a later attempt.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "postern.queue.min-backoff=500ms",
        "postern.queue.max-backoff=1s",
        "resilience4j.bulkhead.instances[127.0.0.1].max-concurrent-calls=1",
        "resilience4j.bulkhead.instances[127.0.0.3].max-concurrent-calls=1",
})
class BulkheadScenarioTest extends PosternTest {

    static final TestMailReceiver smartHost = TestMailReceiver.unchecked("127.0.0.1").dataDelay(Duration.ofMillis(300));
    static final TestMailReceiver unlimited = TestMailReceiver.unchecked("127.0.0.2").dataDelay(Duration.ofMillis(300));
    static final TestMailReceiver shared1 = TestMailReceiver.unchecked("127.0.0.3").dataDelay(Duration.ofMillis(1500));
    static final TestMailReceiver shared2 = TestMailReceiver.unchecked("127.0.0.3").dataDelay(Duration.ofMillis(1500));

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", smartHost::smartHost);
        registry.add("postern.routing.domains.[unlimited.test]", unlimited::smartHost);
        registry.add("postern.routing.domains.[shared1.test]", shared1::smartHost);
        registry.add("postern.routing.domains.[shared2.test]", shared2::smartHost);
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        smartHost.close();
        unlimited.close();
        shared1.close();
        shared2.close();
    }

    @Test
    void routesToOneHostShareItsBulkhead(CapturedOutput output) throws Exception {
        String first = send("sender@example.org", List.of("a@shared1.test"), "Subject: a\r\n\r\nbody\r\n");
        String second = send("sender@example.org", List.of("b@shared2.test"), "Subject: b\r\n\r\nbody\r\n");
        awaitRemoved(first, Duration.ofSeconds(20));
        awaitRemoved(second, Duration.ofSeconds(20));
        assertThat(shared1.messages()).hasSize(1);
        assertThat(shared2.messages()).hasSize(1);
        assertThat(output.getAll()).contains("dsn=4.4.5").contains("connection limit for 127.0.0.3 reached");
        assertThat(smartHost.messagesFor("sender@example.org")).as("no bounce").isEmpty();
    }

    @Test
    void oneConnectionAtATime() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("sender@example.org", List.of("a" + i + "@example.net"), "Subject: a" + i + "\r\n\r\nbody\r\n");
            send("sender@example.org", List.of("b" + i + "@unlimited.test"), "Subject: b" + i + "\r\n\r\nbody\r\n");
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> smartHost.messages().size() == 5
                && unlimited.messages().size() == 5, "every message");
        assertThat(smartHost.maxConcurrentConnections()).isEqualTo(1);
        assertThat(unlimited.maxConcurrentConnections()).as("without a bulkhead").isGreaterThan(1);

        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/actuator/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("resilience4j_bulkhead_max_allowed_concurrent_calls{name=\"127.0.0.1\"} 1.0");
            assertThat(metrics).doesNotContain("name=\"127.0.0.2\"} 1.0");
        }
    }
}
