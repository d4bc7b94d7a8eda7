package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of one message: create, commit or abort, re-open, remove; and opening the spool itself. */
class SpoolCommitTest {

    @TempDir
    Path dir;

    @Test
    void openCreatesTheLayout() throws IOException {
        Path spoolDir = dir.resolve("a/b/spool");
        try (Spool spool = Spool.open(options(spoolDir), SpoolEvents.NONE)) {
            assertThat(spool.directory()).isEqualTo(spoolDir.toAbsolutePath());
            assertThat(names(spoolDir)).containsExactly("quarantine", "queue", "tmp");
            assertThat(spool.recovered()).isEmpty();
            assertThat(spool.queueIds()).isEmpty();
        }
    }

    @Test
    void committedMessageIsVisibleAfterReopen() throws IOException {
        SpooledMessage committed;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            committed = store(spool, 2, "hello");
            assertThat(spool.queueIds()).containsExactly(committed.queueId());
            assertEmpty(dir.resolve("tmp"));
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).containsExactly(committed);
            assertThat(content(reopened, committed.queueId())).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void committedMessageSurvivesAnAbruptStop() throws IOException {
        Spool first = Spool.open(options(dir), SpoolEvents.NONE);
        try {
            SpooledMessage committed = store(first, 1, "kept");
            SpoolWriter inFlight = first.create(envelope(first.newQueueId(), 1));
            inFlight.content().write("never acknowledged".getBytes(StandardCharsets.UTF_8));
            inFlight.content().flush();
            // A second instance on the same directory sees the state a crash would leave.
            try (Spool second = Spool.open(options(dir), SpoolEvents.NONE)) {
                assertThat(second.recovered()).containsExactly(committed);
                assertEmpty(dir.resolve("tmp"));
                assertThat(second.quarantinedCount()).isZero();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void abortedAndUncommittedWritersLeaveNothing() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpoolWriter aborted = spool.create(envelope(spool.newQueueId(), 1));
            aborted.content().write(new byte[100_000]);
            aborted.abort();
            aborted.abort(); // idempotent
            aborted.close();
            assertThatThrownBy(() -> aborted.content().write(1)).isInstanceOf(IOException.class);
            assertThatThrownBy(aborted::commit).isInstanceOf(IOException.class);

            try (SpoolWriter closed = spool.create(envelope(spool.newQueueId(), 1))) {
                closed.content().write(new byte[10]);
            }
            assertEmpty(dir.resolve("tmp"));
            assertEmpty(dir.resolve("queue"));
            assertThat(spool.queueIds()).isEmpty();
        }
    }

    @Test
    void temporaryLeftoversAreDeletedAtOpen() throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(dir.resolve("tmp").resolve("0ABC"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("tmp").resolve("half-written"), "POSTERN-SPOOL 1\n".getBytes(StandardCharsets.US_ASCII));
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertEmpty(dir.resolve("tmp"));
            assertThat(spool.recovered()).isEmpty();
            assertThat(spool.quarantinedCount()).isZero();
        }
    }

    @Test
    void commitTwiceIsAnError() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpoolWriter writer = spool.create(envelope(spool.newQueueId(), 1));
            writer.commit();
            assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> writer.content().write(1)).isInstanceOf(IOException.class);
            writer.close(); // no effect after commit
            assertThat(spool.queueIds()).hasSize(1);
        }
    }

    @Test
    void closingTheContentStreamDoesNotCommit() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = spool.newQueueId();
            try (SpoolWriter writer = spool.create(envelope(id, 1))) {
                try (var out = writer.content()) {
                    out.write("abc".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(spool.queueIds()).isEmpty();
                assertThat(writer.commit().contentLength()).isEqualTo(3);
            }
            assertThat(content(spool, id)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aQueueIdCannotBeCommittedTwice() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage first = store(spool, 1, "first");
            assertThatThrownBy(() -> spool.create(envelope(first.queueId(), 1)))
                    .isInstanceOf(FileAlreadyExistsException.class);
            assertThatThrownBy(() -> spool.create(envelope("../escape", 1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(content(spool, first.queueId())).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void removeDeletesACompletedMessage() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage kept = store(spool, 1, "kept");
            SpooledMessage done = store(spool, 2, "done");
            spool.markRecipient(done.queueId(), 0, RecipientState.DELIVERED);
            assertThatThrownBy(() -> spool.remove(done.queueId()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pending");
            assertThat(spool.queueIds()).contains(done.queueId());

            spool.markRecipient(done.queueId(), 1, RecipientState.FAILED);
            long syncs = spool.directorySyncCount();
            spool.remove(done.queueId());
            assertThat(spool.directorySyncCount()).isGreaterThan(syncs);
            assertThat(spool.queueIds()).containsExactly(kept.queueId());
            assertThatThrownBy(() -> spool.read(done.queueId())).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> spool.remove(done.queueId())).isInstanceOf(NoSuchFileException.class);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId).hasSize(1);
        }
    }

    @Test
    void queueIdsAreSortedAndIgnoreForeignNames() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage a = store(spool, 1, "a");
            SpooledMessage b = store(spool, 1, "b");
            SpooledMessage c = store(spool, 1, "c");
            Files.writeString(dir.resolve("queue").resolve(".nfs000123"), "x");
            assertThat(spool.queueIds()).containsExactly(a.queueId(), b.queueId(), c.queueId());
        }
    }

    @Test
    void openFailsWithTheDirectoryNamedWhenItCannotBeUsed() throws IOException {
        Path regularFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path under = regularFile.resolve("spool");
        assertThatThrownBy(() -> Spool.open(options(under), SpoolEvents.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(under.toString())
                .hasMessageContaining("not usable");
        assertThatThrownBy(() -> Spool.open(options(regularFile), SpoolEvents.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(regularFile.toString());
    }

    @Test
    void afterCloseWritesFailAndReadsWork() throws IOException {
        Spool spool = Spool.open(new SpoolOptions(dir, Duration.ofMillis(5)), SpoolEvents.NONE);
        SpooledMessage message = store(spool, 1, "x");
        SpoolWriter open = spool.create(envelope(spool.newQueueId(), 1));
        spool.close();
        spool.close(); // idempotent

        assertThatThrownBy(() -> spool.create(envelope(spool.newQueueId(), 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(open::commit).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(spool.queueIds()).containsExactly(message.queueId());
        assertEmpty(dir.resolve("tmp"));
        assertThat(spool.read(message.queueId())).isEqualTo(message);
        spool.markRecipient(message.queueId(), 0, RecipientState.DELIVERED);
        assertThatThrownBy(() -> spool.remove(message.queueId())).isInstanceOf(IOException.class);
    }
}
