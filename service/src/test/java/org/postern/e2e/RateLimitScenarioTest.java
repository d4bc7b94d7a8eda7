package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Rate limits per destination: the smart host takes 2 messages a second and delivery waits for a
 * permit (up to 10 s), so 8 messages take at least 2 s and none is deferred; a route whose quota
 * (1 message an hour) is used up, with no wait, defers the rest: they stay queued, not bounced.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "resilience4j.ratelimiter.instances[127.0.0.1].limit-for-period=2",
        "resilience4j.ratelimiter.instances[127.0.0.1].limit-refresh-period=1s",
        "resilience4j.ratelimiter.instances[127.0.0.1].timeout-duration=10s",
        "resilience4j.ratelimiter.instances[127.0.0.2].limit-for-period=1",
        "resilience4j.ratelimiter.instances[127.0.0.2].limit-refresh-period=1h",
        "resilience4j.ratelimiter.instances[127.0.0.2].timeout-duration=0s",
})
class RateLimitScenarioTest extends PosternTest {

    static final TestMailReceiver smartHost = TestMailReceiver.unchecked("127.0.0.1");
    static final TestMailReceiver quota = TestMailReceiver.unchecked("127.0.0.2");

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", smartHost::smartHost);
        registry.add("postern.routing.domains.[quota.test]", quota::smartHost);
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        smartHost.close();
        quota.close();
    }

    @Test
    void deliveryWaitsForPermits() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            send("sender@example.org", List.of("paced" + i + "@example.net"), "Subject: " + i + "\r\n\r\nbody\r\n");
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> smartHost.messages().stream()
                .filter(m -> m.rcptTo().getFirst().startsWith("paced")).count() == 8, "8 messages");
        // 2 permits in the current period, then 2 at the start of each of the next three.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        String metrics = get("/actuator/prometheus");
        assertThat(metrics).contains("resilience4j_ratelimiter_available_permissions{name=\"127.0.0.1\"}");
        assertThat(metrics).as("waited, never deferred").doesNotContain("postern_recipients_deferred_total{mailer=\"relay\"}");
    }

    @Test
    void messagesOverAnExhaustedQuotaAreDeferredNotBounced() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send("sender@example.org", List.of("q" + i + "@quota.test"), "Subject: q" + i + "\r\n\r\nbody\r\n"));
        }
        TestMailReceiver.await(Duration.ofSeconds(10), () -> quota.messages().size() == 1, "the one permitted message");
        for (String id : ids) {
            TestMailReceiver.await(Duration.ofSeconds(10), () -> {
                try {
                    return !spool.queueIds().contains(id) || spool.read(id).schedule().attempts() >= 1;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, id + " to be delivered or deferred");
        }
        Thread.sleep(1000);
        assertThat(quota.messages()).hasSize(1);
        List<String> queued = spool.queueIds();
        assertThat(ids.stream().filter(queued::contains)).as("two still queued").hasSize(2);
        assertThat(smartHost.messagesFor("sender@example.org")).as("no bounce").isEmpty();
        assertThat(get("/actuator/prometheus")).contains("postern_recipients_deferred_total{mailer=\"esmtp\"}");
    }

    private String get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }
}
