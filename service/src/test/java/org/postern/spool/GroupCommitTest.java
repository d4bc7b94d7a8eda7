package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent sessions committing together: all durable, sharing directory fsyncs. */
class GroupCommitTest {

    private static final int SESSIONS = 50;

    @TempDir
    Path dir;

    @Test
    void concurrentCommitsAreAllDurableAndShareDirectoryFsyncs() throws Exception {
        List<SpooledMessage> committed;
        long syncs;
        try (Spool spool = Spool.open(new SpoolOptions(dir, Duration.ofMillis(20)), SpoolEvents.NONE)) {
            long before = spool.directorySyncCount();
            committed = commitConcurrently(spool);
            syncs = spool.directorySyncCount() - before;
        }
        // The barrier makes all 50 commits overlap; each batch waits 20 ms for the others to arrive.
        assertThat(syncs).isPositive().isLessThan(SESSIONS);
        System.out.printf("%d concurrent commits used %d directory fsyncs%n", SESSIONS, syncs);

        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).containsExactlyInAnyOrderElementsOf(committed);
            for (SpooledMessage m : committed) {
                assertThat(content(reopened, m.queueId()))
                        .isEqualTo(("message " + m.queueId()).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void withoutAWindowCommitsStillComplete() throws Exception {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            List<SpooledMessage> committed = commitConcurrently(spool);
            assertThat(spool.queueIds()).hasSize(SESSIONS)
                    .containsExactlyInAnyOrderElementsOf(committed.stream().map(SpooledMessage::queueId).toList());
            assertThat(spool.directorySyncCount()).isBetween(1L, (long) SESSIONS);
        }
    }

    @Test
    void closeDuringALongWindowCompletesThePendingCommitsAndRefusesNewOnes() throws Exception {
        GroupCommitter committer = new GroupCommitter(dir, Duration.ofSeconds(30));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> pending = executor.submit(() -> {
                committer.awaitSync();
                return null;
            });
            while (committer.waitingCount() == 0) {
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            committer.close(); // cuts the 30 s window short: the waiting caller gets its fsync
            pending.get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            assertThat(committer.syncCount()).isEqualTo(1);
            assertThatThrownBy(committer::awaitSync).isInstanceOf(IOException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aFailedDirectoryFsyncFailsTheCommitsOfItsBatch() throws Exception {
        Path missing = dir.resolve("missing");
        GroupCommitter committer = new GroupCommitter(missing, Duration.ZERO);
        try {
            assertThatThrownBy(committer::awaitSync).isInstanceOf(IOException.class)
                    .hasMessageContaining("directory fsync of " + missing);
            assertThat(committer.syncCount()).isZero();
        } finally {
            committer.close();
        }
    }

    private static List<SpooledMessage> commitConcurrently(Spool spool) throws Exception {
        CyclicBarrier ready = new CyclicBarrier(SESSIONS);
        List<Future<SpooledMessage>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SESSIONS; i++) {
                futures.add(executor.submit(() -> {
                    String id = spool.newQueueId();
                    try (SpoolWriter writer = spool.create(envelope(id, 2))) {
                        writer.content().write(("message " + id).getBytes(StandardCharsets.US_ASCII));
                        ready.await(30, TimeUnit.SECONDS); // every session is at its final dot together
                        return writer.commit();
                    }
                }));
            }
            List<SpooledMessage> result = new ArrayList<>();
            for (Future<SpooledMessage> f : futures) {
                try {
                    result.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a commit failed", e.getCause());
                }
            }
            return result;
        }
    }
}
