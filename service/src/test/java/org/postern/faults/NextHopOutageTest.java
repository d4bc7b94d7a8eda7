package org.postern.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.spool.RecipientState;
import org.postern.testing.HealthProbe;
import org.postern.testing.LoopbackPorts;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The smart host is down (nothing listens on its port: every connection is refused) for a
 * sustained period while applications keep sending. The relay keeps accepting, the queue grows,
 * readiness stays UP the whole time (a backlog is no reason to take the pod out of its Service),
 * nothing bounces; the circuit breaker opens and probes. When the next hop comes back on its
 * port, the next half-open probe succeeds, the circuit closes, and every message is delivered
 * exactly once within a bounded time.
 *
 * <p>The outage lasts {@code -Dpostern.faults.outage} (an ISO-8601 duration, default {@code PT1M}
 * for CI); docs/security.md gives the command for the five-minute run.
 */
@DirtiesContext
@TestPropertySource(properties = {
        // Short retries, so recovery is quick and the test proves the schedule does not stall.
        "postern.queue.min-backoff=1s",
        "postern.queue.max-backoff=4s",
        "postern.timeouts.connect=2s",
        // The embedded breaker settings (open after 5 of 10 calls failed) with a short open wait.
        "resilience4j.circuitbreaker.instances[127.0.0.1].wait-duration-in-open-state=3s",
})
class NextHopOutageTest extends PosternTest {

    static final Duration OUTAGE = Duration.parse(System.getProperty("postern.faults.outage", "PT1M"));
    /** Where the smart host listens once it is back; nothing listens there during the outage. */
    static final int NEXT_HOP_PORT = LoopbackPorts.unused();
    /**
     * From the next hop's return to the last delivery. Each message waits at most max-backoff (4 s)
     * for its next attempt, the circuit at most its open wait (3 s) for the probe, and then the
     * backlog goes out over up to 20 connections; 60 s leaves room for a loaded CI machine (it
     * takes a few seconds alone).
     */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

    static volatile TestMailReceiver nextHop;

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", () -> "[127.0.0.1]:" + NEXT_HOP_PORT);
    }

    @AfterAll
    static void closeNextHop() throws Exception {
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void queueGrowsReadinessStaysUpAndEverythingIsDeliveredOnceWhenTheNextHopReturns() throws Exception {
        // One message a second, at least 20, spread over the outage.
        int count = (int) Math.max(20, OUTAGE.toSeconds());
        long intervalNanos = OUTAGE.toNanos() / count;
        List<String> recipients = new ArrayList<>();
        List<Integer> queueSizes = new ArrayList<>();
        Set<String> circuitStates = new TreeSet<>();
        System.out.printf("NextHopOutageTest: outage %s, %d messages%n", OUTAGE, count);

        try (ReadinessWatch readiness = ReadinessWatch.start(httpPort)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String rcpt = "r" + i + "@example.net";
                recipients.add(rcpt);
                send("app@example.org", List.of(rcpt), "Subject: outage " + i + "\r\nMessage-ID: <outage-" + i
                        + "@example.org>\r\n\r\nbody " + i + "\r\n");
                PrometheusScrape metrics = PrometheusScrape.of(httpPort);
                queueSizes.add((int) metrics.sum("postern_queue_messages", "state=\"active\"")
                        + (int) metrics.sum("postern_queue_messages", "state=\"waiting\""));
                if (metrics.sum("resilience4j_circuitbreaker_state", "name=\"127.0.0.1\",state=\"open\"") == 1.0) {
                    circuitStates.add("open");
                }
                sleepUntil(start + (i + 1) * intervalNanos);
            }

            // The end of the outage: everything accepted is still queued, none bounced, nothing expired.
            assertThat(queued()).as("messages in the spool after the outage").hasSize(count);
            for (var envelope : envelopes()) {
                assertThat(spool.read(envelope.queueId()).states()).containsOnly(RecipientState.PENDING);
            }
            PrometheusScrape end = PrometheusScrape.of(httpPort);
            assertThat(end.counter("postern_recipients_bounced_total")).isZero();
            assertThat(end.counter("postern_recipients_expired_total")).isZero();
            assertThat(end.counter("postern_recipients_delivered_total")).isZero();
            assertThat(end.counter("postern_recipients_deferred_total")).as("attempts were made, and deferred")
                    .isGreaterThanOrEqualTo(count);
            System.out.println("NextHopOutageTest: queue sizes during the outage " + queueSizes);
            assertThat(queueSizes.getFirst()).isLessThanOrEqualTo(2);
            assertThat(queueSizes.getLast()).as("the queue grew with the mail").isGreaterThanOrEqualTo(count - 1);
            assertThat(queueSizes.get(count / 2)).isBetween(count / 2 - 2, count / 2 + 2);
            assertThat(circuitStates).as("the circuit opened during the outage").contains("open");

            // The next hop returns on its port.
            nextHop = new TestMailReceiver("127.0.0.1", NEXT_HOP_PORT);
            long returned = System.nanoTime();
            TestMailReceiver.await(RECOVERY_BOUND, () -> recipients.stream()
                    .allMatch(r -> !nextHop.messagesFor(r).isEmpty()), "every message delivered after the return");
            Duration recovery = Duration.ofNanos(System.nanoTime() - returned);
            System.out.printf("NextHopOutageTest: %d messages delivered %d ms after the next hop returned,"
                    + " over %d connections%n", count, recovery.toMillis(), nextHop.connections());
            TestMailReceiver.await(Duration.ofSeconds(20), () -> {
                try {
                    return spool.queueIds().isEmpty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "the spool to empty");
            Thread.sleep(2000); // anything sent twice would arrive now

            readiness.stop();
            System.out.printf("NextHopOutageTest: %d readiness probes, %d not 200 UP%n", readiness.probes(),
                    readiness.failures().size());
            assertThat(readiness.failures()).as("readiness answers other than 200 UP").isEmpty();
            assertThat(readiness.probes()).as("readiness probes made during the outage and recovery")
                    .isGreaterThanOrEqualTo((int) (OUTAGE.toSeconds() / 3));
        }

        for (String rcpt : recipients) {
            assertThat(nextHop.messagesFor(rcpt)).as("deliveries to %s", rcpt).hasSize(1);
        }
        assertThat(nextHop.messages()).hasSize(count);
        assertThat(nextHop.messagesFor("app@example.org")).as("no bounce or delay notice").isEmpty();
        PrometheusScrape after = PrometheusScrape.of(httpPort);
        assertThat(after.counter("postern_recipients_delivered_total")).isEqualTo(count);
        assertThat(after.counter("postern_recipients_bounced_total")).isZero();
        assertThat(after.sum("resilience4j_circuitbreaker_state", "name=\"127.0.0.1\",state=\"closed\""))
                .isEqualTo(1.0);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** Asks {@code /actuator/health/readiness} once a second, as a kubelet would, and keeps every answer that is not 200 UP. */
    static final class ReadinessWatch implements AutoCloseable {
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private volatile int probes;
        private volatile boolean stopped;
        private final Thread thread;

        private ReadinessWatch(int httpPort) {
            thread = Thread.ofPlatform().daemon().name("readiness-watch").start(() -> {
                while (!stopped) {
                    try {
                        HealthProbe.Answer answer = HealthProbe.readiness(httpPort);
                        if (answer.httpStatus() != 200 || !"UP".equals(answer.status())) {
                            failures.add(answer.toString());
                        }
                        probes++;
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }

        static ReadinessWatch start(int httpPort) {
            return new ReadinessWatch(httpPort);
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(15_000);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        int probes() {
            return probes;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
