package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue ids: fixed width, file-name safe, unique across threads and instances, sorted by creation. */
class QueueIdTest {

    @TempDir
    Path dir;

    @Test
    void idsAreUniqueAcrossThreadsAndSortedWithinEach() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        Set<String> all = ConcurrentHashMap.newKeySet();
        CyclicBarrier start = new CyclicBarrier(threads);
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE);
                var executor = Executors.newFixedThreadPool(threads)) {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(executor.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        mine.add(spool.newQueueId());
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> f : results) {
                List<String> mine = f.get();
                assertThat(mine).isSorted().doesNotHaveDuplicates();
                all.addAll(mine);
            }
        }
        assertThat(all).hasSize(threads * perThread);
        assertThat(all).allMatch(id -> id.length() == 20 && id.matches("[0-9A-HJKMNP-TV-Z]{20}"));
    }

    @Test
    void idsOfALaterInstanceSortAfterEarlierOnes() throws Exception {
        List<String> earlier = new ArrayList<>();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            for (int i = 0; i < 1000; i++) {
                earlier.add(spool.newQueueId());
            }
            store(spool, 1, "x");
        }
        try (Spool later = Spool.open(options(dir), SpoolEvents.NONE)) {
            String first = later.newQueueId();
            assertThat(earlier).allMatch(id -> id.compareTo(first) < 0);
            assertThat(first.substring(13)).isNotEqualTo(earlier.get(0).substring(13)); // a new node suffix
        }
    }

    @Test
    void aClockThatGoesBackDoesNotReorderIds() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        QueueIdGenerator before = new QueueIdGenerator(Clock.fixed(now, ZoneOffset.UTC), 0);
        String newest = before.next();
        QueueIdGenerator after = new QueueIdGenerator(Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC), 0);
        after.observe(newest); // as Spool.open does for the ids found in queue/
        assertThat(after.next()).isGreaterThan(newest);
    }

    @Test
    void idsEncodeTheirTimeToTheMicrosecond() {
        Instant t = Instant.parse("2025-06-30T12:34:56.789012345Z");
        QueueIdGenerator ids = new QueueIdGenerator(Clock.fixed(t, ZoneOffset.UTC), 0);
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 3000; i++) { // more than the 1024 per microsecond: borrows from the next one
            made.add(ids.next());
        }
        assertThat(made).hasSize(3000);
        assertThat(QueueIdGenerator.arrivalOf(ids.next())).isEqualTo(Instant.parse("2025-06-30T12:34:56.789014Z"));
        assertThat(QueueIdGenerator.arrivalOf("not-an-id")).isNull();
    }

    @Test
    void derivedIdsAreQueueIdsAndSpoolingOneTwiceFails() throws Exception {
        String id;
        String dsn;
        String delay;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 2, "original").queueId();
            dsn = id + "-D1";
            delay = id + "-W";
            store(spool, envelope(dsn, 1), "the DSN".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            store(spool, envelope(delay, 1), "the delay notice".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // A crash after spooling the DSN and before removing the original: the retry must not make a second one.
            assertThatThrownBy(() -> spool.create(envelope(dsn, 1))).isInstanceOf(FileAlreadyExistsException.class);
            spool.markRecipient(dsn, 0, RecipientState.PENDING, "first attempt deferred");
            spool.recordSchedule(dsn, new DeliverySchedule(1, Instant.parse("2030-01-01T00:00:00Z"), false));
            assertThat(spool.queueIds()).containsExactly(id, dsn, delay);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId).containsExactly(id, dsn, delay);
            assertThat(reopened.recovered().get(1).details()).containsExactly("first attempt deferred");
            assertThat(reopened.newQueueId()).isGreaterThan(delay);
            assertThatThrownBy(() -> reopened.create(envelope(delay, 1))).isInstanceOf(FileAlreadyExistsException.class);
        }
    }

    @Test
    void idsUpTo100CharactersAreAcceptedAndLongerOnesRefused() throws Exception {
        String longest = "A".repeat(76) + "-D" + "9".repeat(22);
        assertThat(longest).hasSize(100);
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            store(spool, envelope(longest, 1), new byte[] {'x'});
            spool.markRecipient(longest, 0, RecipientState.DELIVERED, "ok");
            assertThatThrownBy(() -> spool.create(envelope(longest + "1", 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> spool.create(envelope("-D1", 1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> spool.create(envelope("x.D1", 1))).isInstanceOf(IllegalArgumentException.class);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            assertThat(reopened.recovered()).singleElement().satisfies(m -> {
                assertThat(m.queueId()).isEqualTo(longest);
                assertThat(m.details()).containsExactly("ok");
            });
        }
    }

    @Test
    void observeCountsADerivedIdAsItsOriginalAndIgnoresOtherIds() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String newest = new QueueIdGenerator(Clock.fixed(now, ZoneOffset.UTC), 0).next();

        QueueIdGenerator afterDerived = new QueueIdGenerator(Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC), 0);
        afterDerived.observe(newest + "-D2"); // the original was removed; only its DSN is still queued
        assertThat(afterDerived.next()).isGreaterThan(newest + "-D2");

        Instant earlier = now.minusSeconds(3600);
        QueueIdGenerator ids = new QueueIdGenerator(Clock.fixed(earlier, ZoneOffset.UTC), 0);
        for (String foreign : List.of("", "-", "not-an-id", "x".repeat(100), newest.toLowerCase(), newest + "X",
                newest + "_D1", "ZZZZZZZZZZZZZZZZZZZZ", "ZZZZZZZZZZZZZZZZZZZZ-D1", newest.substring(1) + "-D1",
                "IIIIIIIIIIIIIIIIIIII-W", "7ZZZZZZZZZZZ-ZZZZZZZ")) {
            ids.observe(foreign);
        }
        assertThat(QueueIdGenerator.arrivalOf(ids.next())).isEqualTo(earlier); // the floor did not move
        assertThat(QueueIdGenerator.arrivalOf(newest + "-D1")).isNull(); // only generated ids have an arrival
    }
}
