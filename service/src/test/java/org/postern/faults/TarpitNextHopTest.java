package org.postern.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.spool.RecipientState;
import org.postern.testing.HealthProbe;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Next hops that tarpit: one accepts TCP and never says a word, the other sends its greeting one
 * byte a second. With hundreds of messages queued to a tarpit, each session ends at the configured
 * greeting timeout (a deadline for the whole reply, not a per-read timeout the trickle would keep
 * resetting), the mail is deferred and never bounced, the tarpit never gets more connections than
 * the destination concurrency, the relay's platform threads do not grow with the tarpitted messages
 * or connections (deliveries run on virtual threads), and mail to a healthy route flows
 * while the tarpit holds its connections.
 *
 * <p>The tarpits' circuit breakers are set so they never open: the worst case, a relay that keeps
 * connecting to the tarpit for the whole test. (With the embedded settings the circuit opens after
 * five timeouts and spares even those connections.)
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.timeouts.connect=2s",
        "postern.timeouts.initial=3s",
        "postern.queue.min-backoff=1s",
        "postern.queue.max-backoff=2s",
        "postern.queue.destination-concurrency=" + TarpitNextHopTest.DESTINATION_CONCURRENCY,
        "resilience4j.circuitbreaker.instances[127.0.0.2].sliding-window-size=100000",
        "resilience4j.circuitbreaker.instances[127.0.0.2].minimum-number-of-calls=100000",
        "resilience4j.circuitbreaker.instances[127.0.0.4].sliding-window-size=100000",
        "resilience4j.circuitbreaker.instances[127.0.0.4].minimum-number-of-calls=100000",
})
class TarpitNextHopTest extends PosternTest {

    static final int DESTINATION_CONCURRENCY = 30;
    static final int TARPITTED = 150;
    static final int HEALTHY = 20;
    /** The greeting timeout ({@code postern.timeouts.initial}). */
    static final Duration GREETING_TIMEOUT = Duration.ofSeconds(3);

    static final Tarpit silent = Tarpit.unchecked("127.0.0.2", Tarpit.Mode.SILENT, Duration.ZERO);
    static final Tarpit trickle = Tarpit.unchecked("127.0.0.4", Tarpit.Mode.TRICKLE, Duration.ofSeconds(1));
    static final TestMailReceiver healthy = TestMailReceiver.unchecked("127.0.0.3");

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[silent.test]", silent::route);
        registry.add("postern.routing.domains.[trickle.test]", trickle::route);
        registry.add("postern.routing.domains.[healthy.test]", () -> "esmtp:" + healthy.smartHost());
    }

    @AfterAll
    static void closePeers() throws Exception {
        silent.close();
        trickle.close();
        healthy.close();
    }

    @Test
    void aSilentTarpitTimesOutAtTheGreetingAndHoldsNoThreads() throws Exception {
        tarpitted(silent, "silent.test");
    }

    @Test
    void aTricklingTarpitTimesOutAtTheGreetingDeadlineAndHoldsNoThreads() throws Exception {
        tarpitted(trickle, "trickle.test");
        // The greeting takes 30 s at one byte a second: a per-read timeout would never have fired.
        assertThat(Tarpit.GREETING.length()).isGreaterThan(5 * (int) GREETING_TIMEOUT.toSeconds());
    }

    private void tarpitted(Tarpit tarpit, String domain) throws Exception {
        // Warm up the healthy route (connections, carriers, metrics) before the baseline is taken.
        deliverToHealthy(domain + "-warmup", 3, Duration.ofSeconds(30));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Integer> baselineNames = threadNames(threads);
        int baseline = nonCarriers(baselineNames);

        List<String> ids = new ArrayList<>();
        try (ThreadPeak peak = ThreadPeak.start(threads)) {
            for (int i = 0; i < TARPITTED; i++) {
                ids.add(send("app@example.org", List.of("user" + i + "@" + domain), "Subject: tarpit " + i
                        + "\r\n\r\nbody\r\n"));
            }
            TestMailReceiver.await(Duration.ofSeconds(30), () -> tarpit.openConnections() >= DESTINATION_CONCURRENCY / 2,
                    "the tarpit to hold connections");

            // While the tarpit holds its connections, mail to the healthy route flows.
            int heldAtStart = tarpit.openConnections();
            long started = System.nanoTime();
            deliverToHealthy(domain, HEALTHY, Duration.ofSeconds(30));
            System.out.printf("TarpitNextHopTest %s: %d messages to the healthy route in %d ms; the tarpit held %d"
                    + " connections at the start, %d at the end%n", domain, HEALTHY,
                    (System.nanoTime() - started) / 1_000_000, heldAtStart, tarpit.openConnections());

            // Every tarpitted message is deferred, more than once, and none bounces.
            for (String id : ids) {
                awaitAttempts(id, 2, Duration.ofSeconds(90));
            }
            peak.stop();
            for (String id : ids) {
                assertThat(spool.read(id).states()).containsExactly(RecipientState.PENDING);
            }
            JsonNode shown = QueueShow.of(httpPort, ids.getFirst()).path("recipients").get(0);
            assertThat(shown.path("state").asString()).isEqualTo("pending");
            assertThat(shown.path("status").asString()).startsWith("4.4.");
            assertThat(shown.path("reply").asString()).isEqualTo("GREETING: timeout");
            PrometheusScrape metrics = PrometheusScrape.of(httpPort);
            assertThat(metrics.counter("postern_recipients_bounced_total")).isZero();
            assertThat(healthy.messagesFor("app@example.org")).as("no bounce or delay notice").isEmpty();
            assertThat(HealthProbe.readiness(httpPort).httpStatus()).isEqualTo(200);

            // Each session ended at the greeting timeout, and the tarpit never had more than the
            // destination's concurrency.
            List<Duration> lifetimes = tarpit.lifetimes();
            Duration longest = lifetimes.stream().max(Duration::compareTo).orElseThrow();
            System.out.printf("TarpitNextHopTest %s: %d connections, at most %d at once, longest %d ms;"
                    + " platform threads other than carriers %d before, peak %d; carriers %d before, at the peak %d%n",
                    domain, tarpit.connections(), tarpit.maxOpenConnections(), longest.toMillis(), baseline,
                    peak.peak(), baselineNames.getOrDefault(CARRIERS, 0), peak.namesAtPeak().getOrDefault(CARRIERS, 0));
            assertThat(tarpit.maxOpenConnections()).isLessThanOrEqualTo(DESTINATION_CONCURRENCY);
            // The timeout plus scheduling slack on a loaded machine; far below the 30 s the trickled
            // greeting takes, and the 5 minutes of the RFC default.
            assertThat(longest).isLessThan(GREETING_TIMEOUT.plusSeconds(6));
            assertThat(lifetimes.stream().filter(d -> d.compareTo(GREETING_TIMEOUT.minusMillis(500)) < 0))
                    .as("sessions given up before the greeting timeout").isEmpty();

            // Platform threads: a thread per tarpitted connection would add DESTINATION_CONCURRENCY,
            // a thread per message TARPITTED. Deliveries run on virtual threads, which add none. The
            // carriers of virtual threads are left out: the JVM has one scheduler for every
            // application context of the test run, and it adds carriers while any virtual thread
            // blocks in file I/O (see SoakIT); the healthy route's deliveries show they were not
            // exhausted. What may still appear is a JIT compiler thread or two.
            assertThat(peak.peak() - baseline).as("platform threads above the baseline of %d; at the peak %s,"
                    + " before %s", baseline, peak.namesAtPeak(), baselineNames)
                    .isLessThan(DESTINATION_CONCURRENCY / 2);
        }
    }

    /** Sends {@code count} messages to the healthy route and waits until it has all of them. */
    private void deliverToHealthy(String tag, int count, Duration timeout) throws Exception {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String rcpt = tag + "-" + i + "@healthy.test";
            rcpts.add(rcpt);
            send("app@example.org", List.of(rcpt), "Subject: healthy " + i + "\r\n\r\nbody\r\n");
        }
        TestMailReceiver.await(timeout, () -> rcpts.stream().allMatch(r -> healthy.messagesFor(r).size() == 1),
                count + " deliveries to the healthy route");
    }

    /** The virtual-thread scheduler's workers (the carriers), digits folded. */
    static final String CARRIERS = "ForkJoinPool-#-worker-#";

    /** The threads of a {@link #threadNames} map that are not carriers. */
    static int nonCarriers(Map<String, Integer> names) {
        return names.entrySet().stream().filter(e -> !e.getKey().equals(CARRIERS)).mapToInt(Map.Entry::getValue).sum();
    }

    /** Thread names with their counts, digits folded, e.g. {@code ForkJoinPool-#-worker-#=3}. */
    static Map<String, Integer> threadNames(ThreadMXBean threads) {
        Map<String, Integer> names = new TreeMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null) {
                names.merge(t.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
        }
        return names;
    }

    /** Samples the platform threads other than carriers every 50 ms; keeps the peak and the names at the peak. */
    static final class ThreadPeak implements AutoCloseable {
        private final ThreadMXBean threads;
        private final Thread sampler;
        private volatile boolean stopped;
        private volatile int peak;
        private volatile Map<String, Integer> namesAtPeak = Map.of();

        private ThreadPeak(ThreadMXBean threads) {
            this.threads = threads;
            this.sampler = Thread.ofPlatform().daemon().name("thread-peak").start(this::sample);
        }

        static ThreadPeak start(ThreadMXBean threads) {
            return new ThreadPeak(threads);
        }

        private void sample() {
            while (!stopped) {
                Map<String, Integer> names = threadNames(threads);
                int now = nonCarriers(names);
                if (now > peak) {
                    peak = now;
                    namesAtPeak = names;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int peak() {
            return peak;
        }

        Map<String, Integer> namesAtPeak() {
            return namesAtPeak;
        }

        void stop() throws InterruptedException {
            stopped = true;
            sampler.interrupt();
            sampler.join(5000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
