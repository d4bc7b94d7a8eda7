package org.postern.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.faults.PrometheusScrape;

/**
 * The soak: the packaged relay, relaying to a loopback sink, under steady load from
 * {@value #SESSIONS} SMTP sessions for {@code -Dpostern.soak.duration} (ISO-8601, default
 * {@code PT2M} in CI; {@code bench/soak.sh PT10M} for the documented ten-minute run). Every
 * {@code 5 s} it samples the relay from outside: the heap's live set (old generation right after a
 * full GC forced with {@code jcmd GC.run}), live platform threads (and which of them carry virtual
 * threads, from {@code jcmd Thread.print}), open file descriptors, and the files in the spool. After a warm-up, the median of the last third of the samples must be close to
 * the median of the first third; after the load stops the spool empties and every acknowledged
 * message has reached the sink. The samples are printed as a table and written to
 * {@code target/soak/samples.txt}.
 */
class SoakIT {

    static final Duration DURATION = Duration.parse(System.getProperty("postern.soak.duration", "PT2M"));
    static final int SESSIONS = 20;
    /** Each session sends one message per PACE: up to 80 messages a second in all. */
    static final Duration PACE = Duration.ofMillis(250);
    static final int MESSAGES_PER_CONNECTION = 50;
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    /** Class loading, JIT, pools and caches fill during the first minutes; not a leak. */
    static final Duration WARMUP = Duration.ofSeconds(Math.min(60, Math.max(20, DURATION.toSeconds() / 4)));

    // Tolerances, last third's median against the first third's (after the warm-up):
    /**
     * The live heap may grow by less than 20 % and less than 32 MB. A leak of one small object per
     * message (80 a second) grows it by megabytes a minute; caches that fill up (JIT, metrics,
     * connection pools) stop growing during the warm-up. Medians of a full GC's result keep single
     * samples from deciding.
     */
    static final double HEAP_GROWTH_FRACTION = 0.20;
    static final long HEAP_GROWTH_BYTES = 32L * 1024 * 1024;
    /**
     * Platform threads other than the virtual threads' carriers within 10 % (at least 3): JIT
     * compiler threads come and go; a thread per connection or per message would add hundreds.
     * The carriers (the virtual-thread scheduler's ForkJoinPool workers) are shown, not compared:
     * the JDK adds one while a virtual thread blocks in file I/O (the spool's writes and fsyncs) and
     * retires an idle one only every 30 s, so under steady load their number ratchets up to the most
     * file I/O ever in progress at once, within the JDK's cap ({@code jdk.virtualThreadScheduler.maxPoolSize},
     * 256): bounded, but not flat (docs/security.md, known limits).
     */
    static final double THREAD_FRACTION = 0.10;
    static final int THREAD_MIN_SLACK = 3;
    /**
     * File descriptors within 20: at any moment some of the 20 client connections, their sessions'
     * spool files and the cached connections to the sink are open; a leaked descriptor per message
     * or connection would add thousands.
     */
    static final int FD_SLACK = 20;
    /**
     * Spool files within 100: what is in the spool at a moment is what was accepted and not yet
     * delivered, 0 to 30 at this load; delivery falling behind acceptance would climb by thousands.
     */
    static final int SPOOL_SLACK = 100;
    /** The virtual-thread scheduler's workers in {@code jcmd Thread.print}, digits folded. */
    static final String CARRIERS = "ForkJoinPool-#-worker-#";

    @TempDir
    Path spool;

    /** One sample. */
    record Sample(long second, long liveHeap, long heapUsed, int threads, int carriers, int fds, int spoolFiles,
            int queue, int accepted, int delivered) {

        /** Live platform threads other than the virtual threads' carriers. */
        int otherThreads() {
            return threads - carriers;
        }
    }

    @Test
    void heapThreadsDescriptorsAndSpoolStayFlatUnderSteadyLoad() throws Exception {
        List<Sample> samples = new ArrayList<>();
        Map<String, Integer> threadsAfterWarmup = null;
        try (CountingSink sink = new CountingSink();
                SoakRelay relay = SoakRelay.start(spool, sink.port(), "SoakIT.log")) {
            System.out.printf("SoakIT: %s of load from %d sessions (warm-up %s), relay pid %d, spool %s%n", DURATION,
                    SESSIONS, WARMUP, relay.pid(), spool);
            long start = System.nanoTime();
            SteadyLoad load = SteadyLoad.start(relay.smtpPort, SESSIONS, PACE, MESSAGES_PER_CONNECTION);
            try {
                for (int i = 1; ; i++) {
                    long due = start + i * SAMPLE_EVERY.toNanos();
                    if (due - start > DURATION.toNanos()) {
                        break;
                    }
                    sleepUntil(due);
                    assertThat(relay.isAlive()).as("the relay is running; see %s", relay.log).isTrue();
                    Map<String, Integer> threads = new TreeMap<>();
                    samples.add(sample(relay, sink, load, (System.nanoTime() - start) / 1_000_000_000L, threads));
                    if (threadsAfterWarmup == null && samples.getLast().second() >= WARMUP.toSeconds()) {
                        threadsAfterWarmup = threads;
                    }
                }
            } finally {
                load.close();
            }

            // The load has stopped: everything acknowledged drains to the sink and the spool empties.
            int acknowledged = load.acknowledged().size();
            long drainStart = System.nanoTime();
            long deadline = drainStart + Duration.ofSeconds(120).toNanos();
            while ((spoolFiles() > 0 || sink.messages() < acknowledged) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            long drainMillis = (System.nanoTime() - drainStart) / 1_000_000L;
            Map<String, Integer> threadsAtEnd = new TreeMap<>();
            Sample end = sample(relay, sink, load, (System.nanoTime() - start) / 1_000_000_000L, threadsAtEnd);
            String table = table(samples, end);
            System.out.println(table);
            String summary = String.format("acknowledged %d, delivered %d, duplicates %d, drained in %d ms,"
                    + " unexpected replies %d, connection failures %d, sink connections %d", acknowledged,
                    sink.messages(), sink.duplicates(), drainMillis, load.unexpectedReplies().size(),
                    load.connectionFailures(), sink.connections());
            summary += "\nplatform threads after the warm-up: " + threadsAfterWarmup
                    + "\nplatform threads at the end:        " + threadsAtEnd;
            System.out.println("SoakIT: " + summary);
            write(table, summary);

            assertThat(load.unexpectedReplies()).as("replies other than 250").isEmpty();
            assertThat(acknowledged).as("messages acknowledged: the load ran").isGreaterThan(
                    (int) DURATION.toSeconds() * 5);
            assertThat(end.spoolFiles()).as("files left in the spool after the drain").isZero();
            List<String> missing = load.acknowledged().stream().filter(id -> sink.count(id) == 0).limit(20).toList();
            assertThat(missing).as("acknowledged but never delivered (first 20)").isEmpty();
            assertThat(sink.duplicates()).as("messages delivered twice").isZero();
            assertThat(PrometheusScrape.parse(relay.get("/actuator/prometheus"))
                    .counter("postern_recipients_bounced_total")).isZero();

            List<Sample> steady = samples.stream().filter(s -> s.second() >= WARMUP.toSeconds()).toList();
            assertThat(steady).as("samples after the warm-up").hasSizeGreaterThanOrEqualTo(6);
            List<Sample> first = steady.subList(0, steady.size() / 3);
            List<Sample> last = steady.subList(steady.size() - steady.size() / 3, steady.size());

            double heapFirst = median(first, Sample::liveHeap);
            double heapGrowth = median(last, Sample::liveHeap) - heapFirst;
            assertThat(heapGrowth).as("live heap growth in bytes, from a median of %.0f", heapFirst)
                    .isLessThan(HEAP_GROWTH_BYTES).isLessThan(HEAP_GROWTH_FRACTION * heapFirst);

            double threadsFirst = median(first, Sample::otherThreads);
            assertThat(Math.abs(median(last, Sample::otherThreads) - threadsFirst))
                    .as("live threads other than carriers, from %.0f", threadsFirst)
                    .isLessThanOrEqualTo(Math.max(THREAD_MIN_SLACK, THREAD_FRACTION * threadsFirst));

            double fdsFirst = median(first, Sample::fds);
            assertThat(fdsFirst).as("open file descriptors were read").isPositive();
            assertThat(Math.abs(median(last, Sample::fds) - fdsFirst)).as("open file descriptors, from %.0f", fdsFirst)
                    .isLessThanOrEqualTo(FD_SLACK);

            double spoolFirst = median(first, Sample::spoolFiles);
            assertThat(median(last, Sample::spoolFiles) - spoolFirst).as("spool files, from %.0f", spoolFirst)
                    .isLessThanOrEqualTo(SPOOL_SLACK);

            relay.stop(Duration.ofSeconds(60));
        }
    }

    /** Forces a full GC, then reads everything; {@code threadNames} receives the platform threads by name. */
    private Sample sample(SoakRelay relay, CountingSink sink, SteadyLoad load, long second,
            Map<String, Integer> threadNames) throws IOException, InterruptedException {
        threadNames.putAll(relay.fullGcAndThreadNames());
        PrometheusScrape metrics = PrometheusScrape.parse(relay.get("/actuator/prometheus"));
        // After a full GC the old generation holds the live set; eden refills at once under load.
        double live = metrics.sum("jvm_memory_used_bytes", "id=\"G1 Old Gen\"");
        if (Double.isNaN(live)) {
            live = metrics.sum("jvm_memory_used_bytes", "id=\"Tenured Gen\""); // the serial collector
        }
        if (Double.isNaN(live)) {
            live = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"");
        }
        int fds = relay.openFileDescriptors();
        if (fds < 0) {
            fds = (int) metrics.sum("process_files_open_files");
        }
        return new Sample(second, (long) live, (long) metrics.sum("jvm_memory_used_bytes", "area=\"heap\""),
                (int) metrics.sum("jvm_threads_live_threads"), threadNames.getOrDefault(CARRIERS, 0), fds, spoolFiles(),
                (int) metrics.sum("postern_queue_messages"), load.acknowledged().size(), sink.messages());
    }

    /** Files in the spool's tmp/ and queue/ directories. */
    private int spoolFiles() throws IOException {
        int n = 0;
        for (String dir : List.of("tmp", "queue")) {
            Path d = spool.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    n += (int) files.count();
                }
            }
        }
        return n;
    }

    static String table(List<Sample> samples, Sample end) {
        StringBuilder t = new StringBuilder();
        t.append(String.format("%6s %13s %12s %8s %9s %5s %12s %6s %9s %10s%n", "t/s", "live heap MB", "heap used MB",
                "threads", "carriers", "fds", "spool files", "queue", "accepted", "delivered"));
        for (Sample s : samples) {
            t.append(row(s, ""));
        }
        t.append(row(end, "  (after the drain)"));
        return t.toString();
    }

    private static String row(Sample s, String note) {
        return String.format("%6d %13.1f %12.1f %8d %9d %5d %12d %6d %9d %10d%s%n", s.second(),
                s.liveHeap() / 1048576.0, s.heapUsed() / 1048576.0, s.threads(), s.carriers(), s.fds(), s.spoolFiles(),
                s.queue(), s.accepted(),
                s.delivered(), note);
    }

    private static void write(String table, String summary) throws IOException {
        Path out = Path.of(System.getProperty("postern.soak.report", "target/soak/samples.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "SoakIT " + Instant.now() + ", duration " + DURATION + ", " + SESSIONS + " sessions\n"
                + table + summary + "\n");
    }

    static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] v = samples.stream().mapToDouble(value).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
