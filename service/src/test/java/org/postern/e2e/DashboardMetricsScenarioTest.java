package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.deploy.MonitoringDefinitions;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The Grafana dashboard and the Prometheus alerts shipped with the Helm chart query metrics that
 * the running relay really exposes: after a message with a delivered, a bounced, a deferred and an
 * MX-routed recipient (whose DNS lookup times out), a scrape of {@code /actuator/prometheus} has
 * every metric name they use, so a renamed meter breaks this test instead of a dashboard.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1s",
        "postern.queue.max-backoff=2s",
        // Routed by MX: the lookup goes to the dead DNS server of PosternTest and times out.
        "postern.routing.domains.[mx.test]=esmtp:",
})
class DashboardMetricsScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onRcpt(rcpt -> switch (rcpt) {
        case "nobody@example.net" -> "550 5.1.1 <nobody@example.net>: user unknown";
        case "later@example.net" -> "451 4.3.0 try again later";
        default -> "250 2.1.5 OK";
    });

    static boolean sent;

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

    @BeforeEach
    void sendOnce() throws Exception {
        if (!sent) {
            send("sender@example.org", List.of("one@example.net", "nobody@example.net", "later@example.net", "x@mx.test"),
                    "Subject: metrics for the dashboard\r\n\r\nbody\r\n");
            sent = true;
        }
    }

    @Test
    void everyPosternMetricOfTheDashboardAndTheAlertsIsScraped() throws Exception {
        Set<String> wanted = used(name -> name.startsWith("postern_"));
        assertThat(wanted).contains("postern_delivery_duration_seconds_bucket", "postern_dns_lookups_total");

        assertThat(scrapedNamesOnceAllOf(wanted)).containsAll(wanted);
    }

    @Test
    void theCircuitBreakerMetricsAreScraped() throws Exception {
        Set<String> wanted = used(name -> name.startsWith("resilience4j_"));
        assertThat(wanted).contains("resilience4j_circuitbreaker_state");

        assertThat(scrapedNamesOnceAllOf(wanted)).containsAll(wanted);
    }

    @Test
    void everyOtherMetricComesFromTheCluster() {
        // Whatever is neither Postern's nor Resilience4j's must be a known cluster metric.
        assertThat(used(name -> !name.startsWith("postern_") && !name.startsWith("resilience4j_")))
                .isSubsetOf(MonitoringDefinitions.EXTERNAL);
    }

    private static Set<String> used(Predicate<String> which) {
        Set<String> names = new TreeSet<>(MonitoringDefinitions.allMetricNames());
        names.removeIf(which.negate());
        return names;
    }

    /** Scrapes until every wanted name shows up (counters appear when first counted), or 30 s pass. */
    private Set<String> scrapedNamesOnceAllOf(Set<String> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<String> scraped;
        do {
            scraped = scrapedNames();
            if (scraped.containsAll(wanted)) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return scraped;
    }

    /** The metric names of every sample in a scrape. */
    private Set<String> scrapedNames() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            Set<String> names = new TreeSet<>();
            response.body().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
            return names;
        }
    }
}
