package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.DeliverySchedule;
import org.postern.spool.RecipientState;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpooledMessage;

/**
 * A long queue is cheap to hold: what the queue manager keeps per waiting message (its id, due time
 * and arrival) stays far below the 1 KB per message that would keep 100,000 of them from fitting a
 * 256 MiB container, and never includes the envelope, which is read from the spool again for each
 * attempt. Measured as the used heap after full collections, before and after 100,000 messages are
 * recovered into the queue; the margin is generous, since a collection is only a request.
 */
class QueueMemoryTest {

    private static final int MESSAGES = 100_000;
    /** The budget per waiting message; about 240 bytes are used (docs/performance.md). */
    private static final long MAX_BYTES_PER_MESSAGE = 512;

    @TempDir
    Path dir;

    Spool spool;
    QueueManager queue;

    @BeforeEach
    void openQueue() throws Exception {
        spool = Spool.open(new SpoolOptions(dir, Duration.ZERO), SpoolEvents.NONE);
        QueueSettings settings = new QueueSettings(Duration.ofDays(5), Duration.ofHours(4), 100, 20,
                Duration.ofSeconds(5), 1 << 20, "relay.test", 1000);
        // Never started: no scheduler, no attempts; recovered messages are only held, as while the next hop is down.
        queue = new QueueManager(spool, () -> null, null, settings,
                new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), java.util.random.RandomGenerator.getDefault()),
                Clock.systemUTC(), QueueEvents.NONE, DestinationGuard.NONE);
    }

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void aWaitingMessageCostsTheQueueFarLessThanAKilobyte() {
        Instant base = Instant.parse("2026-11-21T00:00:00Z");
        Instant later = Instant.now().plus(Duration.ofHours(1));
        long before = usedHeapAfterGc();
        for (int i = 0; i < MESSAGES; i++) {
            // Fresh objects for each message, as recovery decodes them from each file.
            queue.recovered(spool.newQueueId(), base.plusMillis(i), later.plusMillis(i), false);
        }
        long after = usedHeapAfterGc();
        long perMessage = (after - before) / MESSAGES;
        System.out.printf("queue memory: %d bytes for %d waiting messages, %d bytes each%n", after - before,
                MESSAGES, perMessage);

        assertThat(queue.waitingCount()).isEqualTo(MESSAGES); // all still held, so still measured
        assertThat(queue.oldestArrival()).isEqualTo(base);
        assertThat(perMessage).as("heap bytes per waiting message").isLessThan(MAX_BYTES_PER_MESSAGE);
    }

    @Test
    void aRecoveredMessageKeepsNoReferenceToItsEnvelope() {
        SpooledMessage m = message(spool.newQueueId());
        WeakReference<Envelope> envelope = new WeakReference<>(m.envelope());
        queue.recovered(m);
        m = null;
        for (int i = 0; i < 10 && envelope.get() != null; i++) {
            System.gc();
        }
        assertThat(envelope.get()).as("the envelope, after recovery into the queue").isNull();
        assertThat(queue.waitingCount()).isEqualTo(1);
    }

    private static SpooledMessage message(String queueId) {
        Envelope e = new Envelope(queueId, Instant.now(), new MailAddress("app", "example.org"),
                List.of(Recipient.of(new MailAddress("user", "example.net"))), BodyType.SEVEN_BIT, false, null, null,
                "127.0.0.1", null, "app.example.org", null, "ESMTP", "MTA");
        return new SpooledMessage(e, List.of(RecipientState.PENDING), Collections.singletonList(null),
                new DeliverySchedule(1, Instant.now().plus(Duration.ofHours(1)), false), 2048, 2400);
    }

    /** The used heap after full collections, once two in a row agree within 64 KiB. */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
