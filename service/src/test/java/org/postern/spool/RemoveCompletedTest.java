package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery queue's removal: it trusts the queue that every recipient is final (the last one's
 * state record is skipped, the unlink records it), and is as durable as {@code remove}.
 */
class RemoveCompletedTest {

    @TempDir
    Path dir;

    @Test
    void removesWithoutTheLastStateRecordAndDurably() throws IOException {
        String done;
        String kept;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            kept = store(spool, 1, "kept").queueId();
            done = store(spool, 2, "done").queueId();
            spool.markRecipient(done, 0, RecipientState.DELIVERED); // recipient 1's record is never written

            long syncs = spool.directorySyncCount();
            spool.removeCompleted(done);

            assertThat(spool.directorySyncCount()).isGreaterThan(syncs);
            assertThat(spool.queueIds()).containsExactly(kept);
            assertThatThrownBy(() -> spool.removeCompleted(done)).isInstanceOf(NoSuchFileException.class);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId).containsExactly(kept);
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }
}
