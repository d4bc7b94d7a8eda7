package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery queue's removal: it trusts the queue that every recipient is final (the last one's
 * state record is skipped, the unlink records it), and does not wait for the directory fsync that
 * makes the unlink durable: that comes with the next commit, or from the committer within
 * {@link GroupCommitter#REMOVAL_SYNC_DELAY}.
 */
class RemoveCompletedTest {

    @TempDir
    Path dir;

    @Test
    void removesWithoutTheLastStateRecordAndIsSyncedSoonWithoutACommit() throws Exception {
        String done;
        String kept;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            kept = store(spool, 1, "kept").queueId();
            done = store(spool, 2, "done").queueId();
            spool.markRecipient(done, 0, RecipientState.DELIVERED); // recipient 1's record is never written

            long syncs = spool.directorySyncCount();
            spool.removeCompleted(done);
            assertThat(spool.queueIds()).containsExactly(kept);

            // No commit follows: the committer syncs the directory on its own, within the delay.
            long until = System.nanoTime() + GroupCommitter.REMOVAL_SYNC_DELAY.plusSeconds(10).toNanos();
            while (spool.directorySyncCount() == syncs && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(spool.directorySyncCount()).isEqualTo(syncs + 1);
            Thread.sleep(GroupCommitter.REMOVAL_SYNC_DELAY.multipliedBy(2).toMillis());
            assertThat(spool.directorySyncCount()).as("one fsync per removal at most, none while idle")
                    .isEqualTo(syncs + 1);
            assertThatThrownBy(() -> spool.removeCompleted(done)).isInstanceOf(NoSuchFileException.class);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId).containsExactly(kept);
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }

    @Test
    void doesNotWaitForTheDirectoryFsyncAndTheNextCommitCarriesIt() throws Exception {
        GatedDirectorySync io = new GatedDirectorySync();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE, io)) {
            String done = store(spool, 1, "done").queueId();
            io.gate = new CountDownLatch(1); // from now on every directory fsync blocks until opened

            // The removal returns while no directory fsync can complete.
            CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> {
                try {
                    spool.removeCompleted(done);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            removal.get(10, TimeUnit.SECONDS);
            assertThat(spool.queueIds()).isEmpty();

            // A commit now: its fsync begins after the unlink, so it makes both durable, in one fsync.
            int before = io.syncs.get();
            CompletableFuture<SpooledMessage> commit = CompletableFuture.supplyAsync(() -> {
                try {
                    return store(spool, 2, "next");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertThat(commit).as("a commit waits for its directory fsync").isNotDone();
            io.gate.countDown();
            assertThat(commit.get(10, TimeUnit.SECONDS).queueId()).isNotNull();
            Thread.sleep(GroupCommitter.REMOVAL_SYNC_DELAY.multipliedBy(2).toMillis());
            assertThat(io.syncs.get() - before).as("the removal needed no fsync of its own").isEqualTo(1);
        }
    }

    @Test
    void closeSyncsARemovalNobodyWaitedFor() throws Exception {
        GatedDirectorySync io = new GatedDirectorySync();
        Spool spool = Spool.open(options(dir), SpoolEvents.NONE, io);
        String done = store(spool, 1, "done").queueId();
        int before = io.syncs.get();
        spool.removeCompleted(done);
        spool.close(); // at once: well inside the removal delay
        assertThat(io.syncs.get() - before).isEqualTo(1);
    }

    /** Counts directory fsyncs, and holds them while {@link #gate} is closed. */
    private static final class GatedDirectorySync implements SpoolIo {
        volatile CountDownLatch gate = new CountDownLatch(0);
        final AtomicInteger syncs = new AtomicInteger();

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return REAL.open(file, options);
        }

        @Override
        public void moveAtomically(Path source, Path target) throws IOException {
            REAL.moveAtomically(source, target);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            REAL.syncDirectory(directory);
            syncs.incrementAndGet();
        }
    }
}
