package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.spool.SpoolFixtures.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long queue stays cheap to restart with: open only lists the names in one flat directory, and
 * recovery reads headers and trailers only. Runs with 10,000 messages by default; {@code -Dpostern.spool.scale=100000} for the
 * figure quoted in docs/spool-format.md.
 */
class SpoolScaleTest {

    @TempDir
    Path dir;

    @Test
    void openWithALongQueueIsFast() throws IOException {
        int messages = Integer.getInteger("postern.spool.scale", 10_000);
        byte[] content = ("Subject: scale\r\n\r\n" + "x".repeat(4000) + "\r\n").getBytes();
        QueueIdGenerator ids = new QueueIdGenerator(java.time.Clock.systemUTC(), 0);
        Path queue = Files.createDirectories(dir.resolve("queue"));
        long writeStart = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            String id = ids.next();
            Files.write(queue.resolve(id), file(id, content)); // as committed, minus the fsyncs
        }
        long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;

        long openStart = System.nanoTime();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            long openMillis = (System.nanoTime() - openStart) / 1_000_000;
            assertThat(spool.uncheckedCount()).isEqualTo(messages);
            long recoverStart = System.nanoTime();
            AtomicInteger recovered = new AtomicInteger();
            spool.recover(m -> recovered.incrementAndGet());
            long recoverMillis = (System.nanoTime() - recoverStart) / 1_000_000;
            long listStart = System.nanoTime();
            int listed = spool.queueIds().size();
            long listMillis = (System.nanoTime() - listStart) / 1_000_000;
            System.out.printf("%d messages: written in %d ms, open in %d ms, recover in %d ms, queueIds in %d ms%n",
                    messages, writeMillis, openMillis, recoverMillis, listMillis);

            assertThat(recovered).hasValue(messages);
            assertThat(spool.uncheckedCount()).isZero();
            assertThat(listed).isEqualTo(messages);
            assertThat(spool.quarantinedCount()).isZero();
            assertThat(openMillis + recoverMillis).as("open and recovery of %d messages", messages).isLessThan(10_000);
        }
    }

    /** A committed spool file, built the way {@link SpoolFileWriter} writes it. */
    static byte[] file(String queueId, byte[] content) throws IOException {
        byte[] header = SpoolHeader.encode(envelope(queueId, 2));
        SpoolHeader.patchContentLength(header, content.length);
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(header);
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + content.length + SpoolTrailer.LENGTH);
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new SpoolTrailer(content.length, (int) crc32c(content), (int) headerCrc.getValue()).encode());
        return out.toByteArray();
    }
}
