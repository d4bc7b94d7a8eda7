package org.postern.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The bytes held in the spool's {@code queue/} directory. Listing a long queue costs one stat per
 * file, so the sum is cached and recomputed at most once per {@code maxAge}, however often the
 * gauge is scraped.
 */
final class SpoolUsage {

    private final Path queue;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private long computedAt;
    private long bytes = -1;

    SpoolUsage(Path spoolDirectory, Duration maxAge, LongSupplier nanoTime) {
        this.queue = spoolDirectory.resolve("queue");
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The cached sum, recomputed when older than {@code maxAge}; the previous sum if listing fails. */
    synchronized double bytes() {
        long now = nanoTime.getAsLong();
        if (bytes < 0 || now - computedAt >= maxAgeNanos) {
            try {
                bytes = sum();
            } catch (IOException e) {
                // keep the previous value; the next scrape after maxAge tries again
            }
            computedAt = now;
        }
        return Math.max(0, bytes);
    }

    private long sum() throws IOException {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(queue)) {
            for (Path f : files) {
                try {
                    total += Files.readAttributes(f, BasicFileAttributes.class).size();
                } catch (NoSuchFileException e) {
                    // removed while we listed: no longer held
                }
            }
        }
        return total;
    }
}
