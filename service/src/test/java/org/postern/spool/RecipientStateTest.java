package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipient states appended after the trailer: durable, last one wins, torn records ignored. */
class RecipientStateTest {

    @TempDir
    Path dir;

    @Test
    void statesRoundTripAndTheLastRecordWins() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage m = store(spool, 3, "content");
            id = m.queueId();
            spool.markRecipient(id, 2, RecipientState.FAILED);
            spool.markRecipient(id, 0, RecipientState.FAILED);
            spool.markRecipient(id, 0, RecipientState.DELIVERED);
            assertThat(spool.read(id).states())
                    .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.FAILED);
            assertThat(content(spool, id)).isEqualTo("content".getBytes(StandardCharsets.US_ASCII));
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).singleElement().satisfies(m -> {
                assertThat(m.states()).containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.FAILED);
                assertThat(m.isComplete()).isFalse();
            });
            assertThat(Files.readString(queueFile(dir, id), StandardCharsets.ISO_8859_1))
                    .contains("\nstate 2 FAILED ").endsWith("\nstate 0 DELIVERED " + crcOf("state 0 DELIVERED") + "\n");
        }
    }

    @Test
    void aTornRecordAtTheEndIsIgnoredAndTheNextAppendStillCounts() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 3, "content").queueId();
            spool.markRecipient(id, 0, RecipientState.DELIVERED);
        }
        Path file = queueFile(dir, id);
        // A crash in the middle of appending "state 1 DELIVERED <crc>\n".
        Files.write(file, "state 1 DELIV".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered().get(0).states())
                    .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.PENDING);
            reopened.markRecipient(id, 2, RecipientState.FAILED);
            assertThat(reopened.read(id).states())
                    .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.FAILED);
        }
    }

    @Test
    void recordsWithABadCrcOrOfUnknownRecipientsAreIgnored() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 2, "content").queueId();
        }
        String good = "state 1 FAILED " + crcOf("state 1 FAILED") + "\n";
        String badCrc = "state 0 DELIVERED 00000000\n";
        String outOfRange = "state 7 DELIVERED " + crcOf("state 7 DELIVERED") + "\n";
        String zeros = "\0\0\0\0\0\0\0\0"; // a file extended by a crash before its data reached the disk
        Files.write(queueFile(dir, id), (good + badCrc + outOfRange + zeros).getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered().get(0).states()).containsExactly(RecipientState.PENDING, RecipientState.FAILED);
        }
    }

    @Test
    void invalidRecipientIndexIsRejected() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 2, "content").queueId();
            assertThatThrownBy(() -> spool.markRecipient(id, 2, RecipientState.DELIVERED))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> spool.markRecipient(id, -1, RecipientState.DELIVERED))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(spool.read(id).states()).containsOnly(RecipientState.PENDING);
        }
    }

    @Test
    void concurrentMarksOfOneMessageAreAllKept() throws Exception {
        int recipients = 64;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, recipients, "content").queueId();
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < recipients; i++) {
                    int index = i;
                    done.add(executor.submit(() -> {
                        spool.markRecipient(id, index, index % 2 == 0 ? RecipientState.DELIVERED : RecipientState.FAILED);
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get();
                }
            }
            List<RecipientState> states = spool.read(id).states();
            for (int i = 0; i < recipients; i++) {
                assertThat(states.get(i)).isEqualTo(i % 2 == 0 ? RecipientState.DELIVERED : RecipientState.FAILED);
            }
            assertThat(spool.read(id).isComplete()).isTrue();
        }
    }

    private static String crcOf(String body) {
        return String.format("%08x", crc32c(body.getBytes(StandardCharsets.US_ASCII)));
    }
}
