package org.postern.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpoolWriter;

/**
 * Spool commit, with fsync, in a temporary directory under {@code java.io.tmpdir} (put it on the disk
 * the spool would use): write the header and {@code size} content octets to {@code tmp/}, fsync the
 * file, rename it into {@code queue/}, fsync the directory (the 250 waits for all of it). One
 * writer measures the latency of one commit; sixteen measure what group commit makes of concurrent
 * sessions (one directory fsync for several commits). The files are deleted between iterations.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpoolCommitBenchmark {

    @Param({"2048"})
    public int size;

    private Path dir;
    private Spool spool;
    private byte[] content;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("postern-jmh-spool");
        spool = Spool.open(new SpoolOptions(dir, Duration.ofMillis(2)), SpoolEvents.NONE);
        content = ("Subject: bench\r\n\r\n" + "x".repeat(Math.max(0, size - 20)) + "\r\n").getBytes();
    }

    @TearDown(Level.Iteration)
    public void emptyQueue() throws IOException {
        for (String id : spool.queueIds()) {
            spool.delete(id);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Threads(1)
    public Object commitOne() throws IOException {
        return commit();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(16)
    public Object commitSixteenAtOnce() throws IOException {
        return commit();
    }

    private Object commit() throws IOException {
        Envelope envelope = new Envelope(spool.newQueueId(), Instant.now(), new MailAddress("app", "example.org"),
                List.of(Recipient.of(new MailAddress("user", "example.net"))), BodyType.SEVEN_BIT, false, null, null,
                "127.0.0.1", null, "app.example.org", null, "ESMTP", "MTA");
        try (SpoolWriter writer = spool.create(envelope)) {
            writer.content().write(content);
            return writer.commit();
        }
    }
}
