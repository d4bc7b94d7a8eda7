package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.RecipientState;

/**
 * Which final outcome may leave its state record to the message's removal: exactly the one that
 * leaves no recipient pending, only when the attempt's owner removes the message right after, and
 * never for a message that keeps a pending recipient.
 */
class MessageAttemptTest {

    @Test
    void onlyTheOutcomeThatLeavesNonePendingIsLast() {
        MessageAttempt attempt = new MessageAttempt(message(3, 0), a -> { }, true);
        assertThat(attempt.lastPendingFinal()).isFalse();
        assertThat(attempt.lastPendingFinal()).isFalse();
        assertThat(attempt.lastPendingFinal()).isTrue();
        assertThat(attempt.lastPendingFinal()).isFalse();
    }

    @Test
    void oneTransactionsRecipientsCountTogether() {
        MessageAttempt all = new MessageAttempt(message(5, 0), a -> { }, true);
        assertThat(all.lastPendingFinal(5)).isTrue();

        MessageAttempt split = new MessageAttempt(message(5, 0), a -> { }, true);
        assertThat(split.lastPendingFinal(2)).isFalse();
        assertThat(split.lastPendingFinal(3)).isTrue();
    }

    @Test
    void recipientsFinalBeforeTheAttemptDoNotCount() {
        MessageAttempt attempt = new MessageAttempt(message(3, 2), a -> { }, true);
        assertThat(attempt.lastPendingFinal()).isTrue();
    }

    @Test
    void aDeferredRecipientKeepsEveryRecordWritten() {
        // Two pending; one is deferred (not final, so not counted): the other is never "last".
        MessageAttempt attempt = new MessageAttempt(message(2, 0), a -> { }, true);
        assertThat(attempt.lastPendingFinal()).isFalse();
    }

    @Test
    void withoutRemovalRecordsNothingIsSkipped() {
        MessageAttempt attempt = new MessageAttempt(message(1, 0), a -> { });
        assertThat(attempt.lastPendingFinal()).isFalse();
    }

    @Test
    void exactlyOneOfConcurrentJobsIsLast() throws Exception {
        for (int round = 0; round < 200; round++) {
            MessageAttempt attempt = new MessageAttempt(message(8, 0), a -> { }, true);
            AtomicInteger last = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (attempt.lastPendingFinal()) {
                        last.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(last).hasValue(1);
        }
    }

    private static QueuedMessage message(int recipients, int alreadyFinal) {
        List<Recipient> rcpts = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rcpts.add(Recipient.of(new MailAddress("r" + i, "example.net")));
        }
        QueuedMessage m = QueuedMessage.fresh(new Envelope("Q1", Instant.EPOCH, new MailAddress("s", "example.org"),
                rcpts, BodyType.SEVEN_BIT, false, null, null, null, null, null, null, null, null), 10);
        for (int i = 0; i < alreadyFinal; i++) {
            m.states[i] = RecipientState.DELIVERED;
        }
        return m;
    }
}
