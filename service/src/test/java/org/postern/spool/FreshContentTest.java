package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first read of a message committed by this process skips parsing the header, and reads the
 * same bytes with the same CRC check as a parsed read; the remembered locations stay bounded.
 */
class FreshContentTest {

    @TempDir
    Path dir;

    @Test
    void firstAndLaterReadsGiveTheSameContent() throws IOException {
        byte[] bytes = binaryContent();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, envelope(spool.newQueueId(), 2), bytes).queueId();
            assertThat(content(spool, id)).isEqualTo(bytes); // from the commit's location
            assertThat(content(spool, id)).isEqualTo(bytes); // parsed
        }
    }

    @Test
    void theContentCrcIsStillChecked() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 1, "Subject: x\r\n\r\nbody\r\n").queueId();
            Path file = queueFile(dir, id);
            long at = Files.readString(file, StandardCharsets.ISO_8859_1).lastIndexOf("body\r\n");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(at);
                raf.write('B');
            }
            assertThatThrownBy(() -> content(spool, id)).isInstanceOf(QuarantineException.class);
            assertThat(spool.quarantinedCount()).isEqualTo(1);
            assertThat(Files.exists(file)).isFalse();
        }
    }

    @Test
    void removalForgetsAndTheLimitHolds() throws IOException {
        FreshContent fresh = new FreshContent();
        for (int i = 0; i < FreshContent.LIMIT + 10; i++) {
            fresh.remember("Q" + i, new FreshContent.Location(100, 10, 0));
        }
        assertThat(fresh.size()).isEqualTo(FreshContent.LIMIT);
        assertThat(fresh.take("Q" + (FreshContent.LIMIT + 5))).isNull();
        assertThat(fresh.take("Q1")).isEqualTo(new FreshContent.Location(100, 10, 0));
        assertThat(fresh.take("Q1")).isNull();

        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 1, "x").queueId();
            spool.removeCompleted(id);
            assertThat(spool.freshContentCount()).isZero();
        }
    }
}
