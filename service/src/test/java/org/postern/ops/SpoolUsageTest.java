package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool size sums queue/ and is listed again only once the cached sum is older than its max age. */
class SpoolUsageTest {

    @TempDir
    Path spool;

    @Test
    void sumsQueueFilesAndRecomputesOnlyAfterMaxAge() throws Exception {
        Path queue = Files.createDirectories(spool.resolve("queue"));
        Files.write(queue.resolve("A"), new byte[100]);
        Files.write(Files.createDirectories(spool.resolve("quarantine")).resolve("B"), new byte[1000]);
        AtomicLong now = new AtomicLong();
        SpoolUsage usage = new SpoolUsage(spool, Duration.ofSeconds(10), now::get);

        assertThat(usage.bytes()).isEqualTo(100.0);
        Files.write(queue.resolve("C"), new byte[50]);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(usage.bytes()).isEqualTo(100.0); // cached
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(usage.bytes()).isEqualTo(150.0);
    }
}
