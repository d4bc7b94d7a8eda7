package org.postern.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.Recipient;
import org.postern.spool.Spool;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpooledMessage;

/**
 * "250 means durable", against the packaged relay: twenty clients send continuously while the
 * process is killed with SIGKILL at three random moments, restarting on the same spool each time.
 * Every queue id a client was told 250 for must come back intact, and a killed relay must never
 * leave a corrupt file in the queue.
 */
class CrashRecoveryIT {

    private static final int CLIENTS = 20;
    private static final int KILLS = 3;

    @TempDir
    Path spool;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillUnderLoad() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("CrashRecoveryIT seed " + seed + ", spool " + spool);
        Map<String, String> acknowledged = new HashMap<>(); // queue id -> message key, over all rounds

        for (int round = 1; round <= KILLS; round++) {
            try (PosternProcess relay = PosternProcess.start(spool, "CrashRecoveryIT-" + round + ".log")) {
                SmtpLoad load = SmtpLoad.start("r" + round, relay.smtpPort, CLIENTS);
                try {
                    awaitAcknowledgements(load, 50, Duration.ofSeconds(60));
                    Thread.sleep(500 + random.nextInt(2000)); // a random moment, load still running
                    relay.killHard();
                } finally {
                    load.close();
                }
                assertThat(load.unexpectedReplies()).as("replies other than 250 or 421").isEmpty();
                System.out.printf("round %d: %d acknowledged before SIGKILL, %d connections cut%n", round,
                        load.acknowledged.size(), load.connectionFailures());
                for (Map.Entry<String, String> ack : load.acknowledged.entrySet()) {
                    assertThat(acknowledged.put(ack.getKey(), ack.getValue())).as("queue id %s given twice", ack.getKey())
                            .isNull();
                }
            }
        }

        // A last start recovers the spool the way production does, and reports nothing quarantined.
        try (PosternProcess relay = PosternProcess.start(spool, "CrashRecoveryIT-final.log")) {
            assertThat(relay.get("/actuator/prometheus")).contains("postern_spool_quarantined_total 0.0");
            relay.stop(Duration.ofSeconds(60));
        }

        List<String> quarantined = new ArrayList<>();
        try (Spool reopened = Spool.open(new SpoolOptions(spool, Duration.ZERO),
                (file, reason) -> quarantined.add(file.getFileName() + ": " + reason))) {
            assertThat(quarantined).as("corrupt files after SIGKILL").isEmpty();
            assertThat(listing(spool.resolve("quarantine"))).isEmpty();
            Set<String> missing = new TreeSet<>(acknowledged.keySet());
            reopened.queueIds().forEach(missing::remove);
            assertThat(missing).as("acknowledged with 250 but not in the spool (%d of %d)", missing.size(),
                    acknowledged.size()).isEmpty();
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                assertIntact(reopened, ack.getKey(), ack.getValue());
            }
            assertThat(quarantined).as("files quarantined while reading them").isEmpty();
        }
        System.out.println("verified " + acknowledged.size() + " acknowledged messages");
    }

    private static void awaitAcknowledgements(SmtpLoad load, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (load.acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + load.acknowledged.size() + " messages acknowledged in " + timeout
                        + "; unexpected replies: " + load.unexpectedReplies());
            }
            Thread.sleep(20);
        }
    }

    /** The envelope is the one sent under that id, and the content (CRC checked at its end) is the message sent. */
    static void assertIntact(Spool spool, String queueId, String key) throws IOException {
        SpooledMessage message = spool.read(queueId);
        assertThat(message.envelope().sender()).hasToString(SmtpLoad.sender(key));
        assertThat(message.envelope().recipients()).extracting(Recipient::address).map(Object::toString)
                .containsExactly(SmtpLoad.recipient(key));
        byte[] content;
        try (InputStream in = spool.openContent(queueId)) { // throws QuarantineException on a CRC mismatch
            content = in.readAllBytes();
        }
        assertThat(content).hasSize((int) message.contentLength());
        byte[] sent = SmtpLoad.contentBytes(key);
        assertThat(content.length).as("content of %s: Received header plus the message", queueId)
                .isGreaterThan(sent.length);
        assertThat(new String(content, 0, Math.min(9, content.length), StandardCharsets.US_ASCII))
                .isEqualTo("Received:");
        assertThat(Arrays.copyOfRange(content, content.length - sent.length, content.length))
                .as("content of %s (%s)", queueId, key).isEqualTo(sent);
    }

    static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
