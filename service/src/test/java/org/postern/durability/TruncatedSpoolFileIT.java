package org.postern.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.spool.Spool;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpooledMessage;
import org.postern.testing.SmtpTestClient;

/**
 * A spool file cut short while the relay was down (a bad disk, a careless copy): the packaged relay
 * starts anyway, moves that file to quarantine/, recovers the others, and says so in
 * {@code postern_spool_quarantined_total}.
 */
class TruncatedSpoolFileIT {

    @TempDir
    Path spool;

    @Test
    void truncatedFileIsQuarantinedCountedAndTheRestRecovered() throws Exception {
        Map<String, String> acknowledged = new LinkedHashMap<>(); // queue id -> message key
        try (PosternProcess relay = PosternProcess.start(spool, "TruncatedSpoolFileIT-1.log");
                SmtpTestClient client = SmtpTestClient.connect(relay.smtpPort)) {
            assertThat(client.greeting().code()).isEqualTo(220);
            assertThat(client.ehlo("client.test").code()).isEqualTo(250);
            for (int i = 0; i < 5; i++) {
                String key = "t-" + i;
                SmtpTestClient.Reply reply = client.sendMessage(SmtpLoad.sender(key), List.of(SmtpLoad.recipient(key)),
                        SmtpLoad.content(key));
                assertThat(reply.code()).as("reply to message %d", i).isEqualTo(250);
                acknowledged.put(reply.text().substring(reply.text().lastIndexOf(' ') + 1), key);
            }
            relay.killHard();
        }

        List<String> ids = new ArrayList<>(acknowledged.keySet());
        String victim = ids.get(2);
        Path victimFile = spool.resolve("queue").resolve(victim);
        try (FileChannel ch = FileChannel.open(victimFile, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        ids.remove(victim);

        try (PosternProcess relay = PosternProcess.start(spool, "TruncatedSpoolFileIT-2.log")) {
            // Recovery runs in the background once the relay is ready: wait for it to reach the file.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!relay.get("/actuator/prometheus").contains("postern_spool_quarantined_total 1.0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(relay.get("/actuator/prometheus")).contains("postern_spool_quarantined_total 1.0");
            assertThat(CrashRecoveryIT.listing(spool.resolve("quarantine")))
                    .containsExactly(spool.resolve("quarantine").resolve(victim));
            assertThat(relay.log()).contains("quarantined spool file").contains(victim);
            relay.stop(Duration.ofSeconds(60));
        }

        List<String> quarantinedNow = new ArrayList<>();
        try (Spool reopened = Spool.open(new SpoolOptions(spool, Duration.ZERO),
                (file, reason) -> quarantinedNow.add(file + ": " + reason))) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) {
                CrashRecoveryIT.assertIntact(reopened, id, acknowledged.get(id));
            }
            assertThat(quarantinedNow).as("nothing more to quarantine").isEmpty();
        }
        assertThat(CrashRecoveryIT.listing(spool.resolve("quarantine")))
                .containsExactly(spool.resolve("quarantine").resolve(victim));
    }
}
