package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open only lists {@code queue/}; {@link Spool#recover} checks the files afterwards, while the spool
 * already takes new mail. Each file found at open is handed over once and only once, corrupt files
 * are still quarantined, and nothing that leaves the spool meanwhile comes back.
 */
class SpoolBackgroundRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void openReadsNoFileAndRecoveryChecksEachOnce() throws IOException {
        List<String> intact = new ArrayList<>();
        String corrupt;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            for (int i = 0; i < 3; i++) {
                intact.add(store(spool, 1, "m" + i).queueId());
            }
            corrupt = store(spool, 1, "c").queueId();
        }
        Files.write(queueFile(dir, corrupt), "garbage".getBytes(StandardCharsets.US_ASCII));

        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.uncheckedCount()).isEqualTo(4);
            assertThat(reopened.quarantinedCount()).isZero(); // not read yet
            store(reopened, 1, "new"); // taken while recovery is pending; never handed over by it

            Map<String, AtomicInteger> handed = new ConcurrentHashMap<>();
            reopened.recover(m -> handed.computeIfAbsent(m.queueId(), k -> new AtomicInteger()).incrementAndGet());
            assertThat(handed.keySet()).containsExactlyInAnyOrderElementsOf(intact); // not the new one
            assertThat(handed.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(reopened.quarantinedCount()).isEqualTo(1);
            assertThat(names(dir.resolve("quarantine"))).containsExactly(corrupt);
            assertThat(reopened.uncheckedCount()).isZero();

            reopened.recover(m -> handed.computeIfAbsent(m.queueId(), k -> new AtomicInteger()).incrementAndGet());
            assertThat(handed.values()).allSatisfy(n -> assertThat(n).hasValue(1)); // a second call hands nothing
        }
    }

    @Test
    void aMessageRemovedBeforeRecoveryIsSkippedNotQuarantined() throws IOException {
        String kept;
        String removed;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            kept = store(spool, 1, "kept").queueId();
            removed = store(spool, 1, "removed").queueId();
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            reopened.markRecipient(removed, 0, RecipientState.DELIVERED);
            reopened.remove(removed); // an operator's or an attempt's doing, between open and recovery
            List<String> handed = new ArrayList<>();
            reopened.recover(m -> handed.add(m.queueId()));
            assertThat(handed).containsExactly(kept);
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }

    @Test
    void anInterruptedRecoveryLeavesTheRestForTheNextCall() throws Exception {
        int messages = 300; // enough for several recovery threads
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            for (int i = 0; i < messages; i++) {
                store(spool, 1, "m" + i);
            }
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            Map<String, AtomicInteger> handed = new ConcurrentHashMap<>();
            Thread caller = Thread.currentThread();
            AtomicInteger seen = new AtomicInteger();
            // From the 50th message on the workers wait here, so the caller is certainly still
            // waiting for them when the interrupt comes (on a fast machine they could finish first).
            CountDownLatch release = new CountDownLatch(1);
            assertThatThrownBy(() -> reopened.recover(m -> {
                handed.computeIfAbsent(m.queueId(), k -> new AtomicInteger()).incrementAndGet();
                if (seen.incrementAndGet() >= 50) {
                    if (seen.get() == 50) {
                        caller.interrupt(); // as QueueManager.stop does to its recovery thread
                    }
                    awaitUninterruptibly(release);
                }
            })).isInstanceOf(InterruptedIOException.class);
            release.countDown();
            assertThat(Thread.interrupted()).isTrue();
            int first = handed.size();
            assertThat(first).isLessThan(messages);

            // Workers finish the file in hand; give them a moment, then recover the rest.
            Thread.sleep(200);
            reopened.recover(m -> handed.computeIfAbsent(m.queueId(), k -> new AtomicInteger()).incrementAndGet());
            assertThat(handed).hasSize(messages);
            assertThat(handed.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(reopened.uncheckedCount()).isZero();
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // a recovery worker is never interrupted; keep waiting for the release
            }
        }
    }
}
