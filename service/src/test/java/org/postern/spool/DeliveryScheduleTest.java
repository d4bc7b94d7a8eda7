package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.RecipientDetailTest.record;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery schedule kept in the spool: initial value, last record wins, bad records ignored, budget kept. */
class DeliveryScheduleTest {

    static final Instant FIRST = Instant.parse("2030-01-02T03:04:05.123456789Z");
    static final Instant SECOND = Instant.parse("2030-01-02T04:04:05Z");

    @TempDir
    Path dir;

    @Test
    void aNewMessageIsDueAtArrivalWithNoAttempts() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage committed = store(spool, fullEnvelope(spool.newQueueId()), binaryContent());
            DeliverySchedule initial = new DeliverySchedule(0, committed.envelope().arrival(), false);
            assertThat(committed.schedule()).isEqualTo(initial);
            assertThat(spool.read(committed.queueId()).schedule()).isEqualTo(initial);
            assertThat(committed.fileSize()).isEqualTo(Files.size(queueFile(dir, committed.queueId())));
            assertThat(committed.contentLength()).isEqualTo(binaryContent().length);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage m = reopened.recovered().get(0);
            assertThat(m.schedule()).isEqualTo(new DeliverySchedule(0, m.envelope().arrival(), false));
        }
    }

    @Test
    void theLastScheduleWinsInReadAndAfterReopen() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 2, "content").queueId();
            spool.recordSchedule(id, new DeliverySchedule(1, FIRST, false));
            spool.markRecipient(id, 0, RecipientState.PENDING, "451 4.3.0 later");
            spool.recordSchedule(id, new DeliverySchedule(2, SECOND, true));
            SpooledMessage read = spool.read(id);
            assertThat(read.schedule()).isEqualTo(new DeliverySchedule(2, SECOND, true));
            assertThat(read.fileSize()).isEqualTo(Files.size(queueFile(dir, id)));
            spool.recordSchedule(id, new DeliverySchedule(3, FIRST, true));
            assertThat(spool.read(id).schedule()).isEqualTo(new DeliverySchedule(3, FIRST, true));
        }
        String text = Files.readString(queueFile(dir, id), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("\n" + record("schedule 1 2030-01-02T03:04:05.123456789Z -"))
                .endsWith("\n" + record("schedule 3 2030-01-02T03:04:05.123456789Z notified"));
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage m = reopened.recovered().get(0);
            assertThat(m.schedule()).isEqualTo(new DeliverySchedule(3, FIRST, true));
            assertThat(m.details()).containsExactly("451 4.3.0 later", null);
            assertThat(m.states()).containsOnly(RecipientState.PENDING);
            assertThatThrownBy(() -> reopened.remove(id)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aTornScheduleRecordIsIgnoredAndTheNextAppendStillCounts() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 1, "content").queueId();
            spool.recordSchedule(id, new DeliverySchedule(1, FIRST, false));
        }
        String whole = record("schedule 2 " + SECOND + " notified");
        Files.write(queueFile(dir, id), whole.substring(0, whole.length() - 4).getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered().get(0).schedule()).isEqualTo(new DeliverySchedule(1, FIRST, false));
            reopened.recordSchedule(id, new DeliverySchedule(2, SECOND, true));
            assertThat(reopened.read(id).schedule()).isEqualTo(new DeliverySchedule(2, SECOND, true));
        }
    }

    @Test
    void scheduleRecordsWithABadCrcOrBadFieldsAreIgnored() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 1, "content").queueId();
            spool.recordSchedule(id, new DeliverySchedule(4, FIRST, true));
        }
        String records = "schedule 9 " + SECOND + " notified 00000000\n" // bad CRC
                + record("schedule -1 " + SECOND + " -")                  // negative count
                + record("schedule 9 tomorrow -")                          // not an instant
                + record("schedule 9 " + SECOND + " yes")                  // unknown flag
                + record("schedule 9 " + SECOND)                           // a field missing
                + record("schedule 99999999999 " + SECOND + " -")          // out of int range
                + record("reschedule 9 " + SECOND + " -")                  // a record kind this reader does not know
                + "\0\0\0\0";                                              // zeros from a crash
        Files.write(queueFile(dir, id), records.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered().get(0).schedule()).isEqualTo(new DeliverySchedule(4, FIRST, true));
            assertThat(reopened.read(id).schedule()).isEqualTo(new DeliverySchedule(4, FIRST, true));
        }
    }

    @Test
    void anAppendBeyondTheRecoveryBudgetIsRefusedAndLeavesTheFileAlone() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 1, "content").queueId();
            spool.recordSchedule(id, new DeliverySchedule(1, FIRST, false));
            Path file = queueFile(dir, id);
            long tailStart = Files.size(file) - SpoolTrailer.LENGTH - record("schedule 1 " + FIRST + " -").length();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), tailStart + SpoolFile.MAX_TAIL - 40); // a sparse gap of NULs
            }
            long size = Files.size(file);
            assertThat(spool.read(id).schedule()).isEqualTo(new DeliverySchedule(1, FIRST, false));
            assertThatThrownBy(() -> spool.recordSchedule(id, new DeliverySchedule(2, SECOND, false)))
                    .isInstanceOf(IOException.class).hasMessageContaining("recovery reads");
            assertThat(Files.size(file)).isEqualTo(size);
            spool.markRecipient(id, 0, RecipientState.DELIVERED); // a short record still fits
            assertThat(spool.read(id).states()).containsExactly(RecipientState.DELIVERED);
        }
    }

    @Test
    void invalidSchedulesAreRejected() {
        assertThatThrownBy(() -> new DeliverySchedule(-1, FIRST, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliverySchedule(0, null, false)).isInstanceOf(NullPointerException.class);
    }
}
