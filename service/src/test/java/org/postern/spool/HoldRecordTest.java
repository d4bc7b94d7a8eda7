package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.RecipientDetailTest.record;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's marks in the spool: a hold record survives a reopen, the last one wins, a bad one
 * is ignored, a schedule record leaves it alone; delete removes a message with pending recipients.
 */
class HoldRecordTest {

    static final Instant HELD = Instant.parse("2030-01-02T03:04:05.123Z");
    static final Instant RELEASED = Instant.parse("2030-01-02T05:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aMessageIsNotHeldUntilARecordSaysSo() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage committed = store(spool, 1, "content");
            assertThat(committed.held()).isFalse();
            assertThat(spool.read(committed.queueId()).heldSince()).isNull();
        }
    }

    @Test
    void holdSurvivesReopenAndTheLastHoldRecordWins() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 2, "content").queueId();
            spool.recordHold(id, true, HELD);
            // The queue's own schedule records must not release it.
            spool.recordSchedule(id, new DeliverySchedule(3, RELEASED, true));
            assertThat(spool.read(id).heldSince()).isEqualTo(HELD);
        }
        assertThat(Files.readString(queueFile(dir, id), StandardCharsets.ISO_8859_1))
                .contains("\n" + record("hold on 2030-01-02T03:04:05.123Z"));
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage m = reopened.recovered().get(0);
            assertThat(m.held()).isTrue();
            assertThat(m.heldSince()).isEqualTo(HELD);
            assertThat(m.schedule()).isEqualTo(new DeliverySchedule(3, RELEASED, true));
            reopened.recordHold(id, false, RELEASED);
            assertThat(reopened.read(id).held()).isFalse();
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered().get(0).held()).isFalse();
        }
    }

    @Test
    void aHoldRecordWithABadCrcOrValueIsIgnored() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 1, "content").queueId();
            Path file = queueFile(dir, id);
            Files.writeString(file, "hold on 2030-01-02T03:04:05Z 00000000\n", StandardCharsets.ISO_8859_1,
                    StandardOpenOption.APPEND);
            assertThat(spool.read(id).held()).isFalse();
            Files.writeString(file, record("hold maybe 2030-01-02T03:04:05Z"), StandardCharsets.ISO_8859_1,
                    StandardOpenOption.APPEND);
            assertThat(spool.read(id).held()).isFalse();
            Files.writeString(file, record("hold on yesterday"), StandardCharsets.ISO_8859_1,
                    StandardOpenOption.APPEND);
            assertThat(spool.read(id).held()).isFalse();
            spool.recordHold(id, true, HELD);
            assertThat(spool.read(id).heldSince()).isEqualTo(HELD);
        }
    }

    @Test
    void deleteRemovesAMessageWithPendingRecipients() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 2, "content").queueId();
            assertThatThrownBy(() -> spool.remove(id)).isInstanceOf(IllegalStateException.class);
            spool.delete(id);
            assertThat(spool.queueIds()).doesNotContain(id);
            assertThat(Files.exists(queueFile(dir, id))).isFalse();
            assertThatThrownBy(() -> spool.delete(id)).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> spool.recordHold(id, true, HELD)).isInstanceOf(NoSuchFileException.class);
        }
    }
}
