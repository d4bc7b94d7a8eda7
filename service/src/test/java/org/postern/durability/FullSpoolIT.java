package org.postern.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.HealthProbe;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;

/**
 * Issue 9, full spool: the packaged relay on a 2 MiB tmpfs, a real file system that really fills
 * (ENOSPC from the kernel, nothing simulated), with the next hop deferring everything so mail stays
 * queued. A filler file placed on the tmpfs beforehand is the space an operator frees later.
 * Proven: a message larger than the free space fails mid-DATA with {@code 452 4.3.1} and leaves no
 * partial file; filling with mail ends in {@code 452 4.3.1}, never a 250 for a message not stored;
 * readiness goes DOWN below {@code postern.health.spool-min-free-space}; deleting the filler brings
 * readiness UP and 250 back; once the next hop takes mail, every message that got 250 is delivered.
 *
 * <p>Mounting needs root or CAP_SYS_ADMIN; without it the test is skipped, saying so.
 */
@EnabledOnOs(OS.LINUX)
class FullSpoolIT {

    private static final int FILLER = 768 * 1024;
    private static final String THRESHOLD = "256KB";
    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <([^@>]+)@client\\.test>\r\n");

    @TempDir
    Path work;

    @Test
    void aFullSpoolAnswers452LosesNothingAndResumesWhenSpaceFrees() throws Exception {
        Path mount = Files.createDirectories(work.resolve("tmpfs"));
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "postern-full-spool", mount.toString());
        Assumptions.assumeTrue(mounted == null, () -> "skipped: cannot mount a tmpfs for the spool (needs root or"
                + " CAP_SYS_ADMIN): " + mounted);
        try {
            fillAndRecover(mount);
        } finally {
            if (run("umount", mount.toString()) != null) {
                run("umount", "-l", mount.toString()); // still busy: detach now, freed when the last user goes
            }
        }
    }

    private void fillAndRecover(Path mount) throws Exception {
        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[FILLER]);
        Path spool = mount.resolve("spool");
        Map<String, String> acknowledged = new LinkedHashMap<>(); // queue id -> message key
        try (TestMailReceiver receiver = new TestMailReceiver()) {
            AtomicBoolean nextHopUp = new AtomicBoolean();
            receiver.onRcpt(rcpt -> nextHopUp.get() ? "250 2.1.5 OK" : "451 4.3.2 next hop down for the test");
            try (PosternProcess relay = PosternProcess.start(spool, "FullSpoolIT.log", Map.of(
                    "postern.routing.smart-host", receiver.smartHost(),
                    "postern.health.spool-min-free-space", THRESHOLD,
                    "postern.queue.min-backoff", "1s",
                    "postern.queue.max-backoff", "2s"))) {
                assertThat(HealthProbe.readiness(relay.httpPort).httpStatus()).as("readiness with space free").isEqualTo(200);

                try (SmtpTestClient client = SmtpTestClient.connect(relay.smtpPort)) {
                    assertThat(client.greeting().code()).isEqualTo(220);
                    assertThat(client.ehlo("client.test").code()).isEqualTo(250);

                    // 1. A message larger than the free space: the disk fills mid-DATA.
                    long free = Files.getFileStore(mount).getUsableSpace();
                    SmtpTestClient.Reply big = send(client, "big", (int) free + 256 * 1024);
                    assertThat(big.code()).as("a message larger than the free space (%d bytes): %s", free, big)
                            .isEqualTo(452);
                    assertThat(big.enhanced()).isEqualTo("4.3.1");
                    assertNoPartialFile(spool, acknowledged);

                    // 2. Fill the spool with mail until it is full.
                    SmtpTestClient.Reply last = null;
                    for (int i = 0; i < 500; i++) {
                        String key = "fill-" + i;
                        last = send(client, key, 20_000);
                        if (last.code() != 250) {
                            break;
                        }
                        acknowledged.put(SmtpTestClient.queueId(last), key);
                    }
                    assertThat(last.code()).as("the reply when the spool is full: %s", last).isEqualTo(452);
                    assertThat(last.enhanced()).isEqualTo("4.3.1");
                    assertNoPartialFile(spool, acknowledged);
                    long freeWhenFull = Files.getFileStore(mount).getUsableSpace();

                    // 3. Not ready: the load balancer sends clients elsewhere. Alive all the same.
                    HealthProbe.Answer full = HealthProbe.readiness(relay.httpPort);
                    assertThat(full.httpStatus()).as("readiness when full: %s", full).isEqualTo(503);
                    assertThat(full.component("spool").path("details").path("reason").asString())
                            .contains("below the threshold");
                    assertThat(HealthProbe.liveness(relay.httpPort).httpStatus()).isEqualTo(200);

                    // 4. The operator frees space: ready again, and 250 on the same session.
                    Files.delete(filler);
                    TestMailReceiver.await(Duration.ofSeconds(20), () -> readiness(relay) == 200,
                            "readiness UP after the filler was deleted");
                    SmtpTestClient.Reply after = send(client, "after-free", 20_000);
                    assertThat(after.code()).as("after space was freed: %s", after).isEqualTo(250);
                    acknowledged.put(SmtpTestClient.queueId(after), "after-free");
                    client.command("QUIT");
                    System.out.printf("FullSpoolIT result: 452 4.3.1 mid-DATA for %d bytes with %d free; %d messages"
                                    + " accepted, then 452 4.3.1 with %d bytes free; readiness 503 when full, 200 after"
                                    + " deleting the filler; ", (int) free + 256 * 1024, free, acknowledged.size() - 1,
                            freeWhenFull);
                }

                // 5. The next hop comes back: everything acknowledged is delivered, exactly once.
                nextHopUp.set(true);
                TestMailReceiver.await(Duration.ofSeconds(90), () -> queueSize(spool) == 0
                        && receiver.messages().size() >= acknowledged.size(), "the spool to drain");
                Map<String, Integer> delivered = new HashMap<>();
                for (TestMailReceiver.Message m : receiver.messages()) {
                    Matcher id = MESSAGE_ID.matcher(m.text());
                    assertThat(id.find()).isTrue();
                    delivered.merge(id.group(1), 1, Integer::sum);
                }
                Set<String> lost = new TreeSet<>(acknowledged.values());
                lost.removeAll(delivered.keySet());
                assertThat(lost).as("acknowledged but not delivered").isEmpty();
                assertThat(delivered.keySet()).as("delivered but never acknowledged").isEqualTo(Set.copyOf(acknowledged.values()));
                assertThat(delivered.values()).as("deliveries per message").containsOnly(1);
                System.out.printf("%d delivered once each when the next hop returned%n", delivered.size());
                relay.stop(Duration.ofSeconds(60));
            }
        }
        assertThat(CrashRecoveryIT.listing(spool.resolve("quarantine"))).isEmpty();
        assertThat(CrashRecoveryIT.listing(spool.resolve("tmp"))).isEmpty();
    }

    private static SmtpTestClient.Reply send(SmtpTestClient client, String key, int size) throws IOException {
        StringBuilder s = new StringBuilder(size + 100);
        s.append("Subject: full spool ").append(key).append("\r\n");
        s.append("Message-ID: <").append(key).append("@client.test>\r\n\r\n");
        while (s.length() < size) {
            s.append("line ").append(s.length()).append(" of ").append(key).append(" abcdefghijklmnopqrstuvwxyz\r\n");
        }
        return client.sendMessage(SmtpLoad.sender(key), List.of(SmtpLoad.recipient(key)), s.toString());
    }

    /** No temporary file is left, and queue/ holds exactly the acknowledged messages. */
    private static void assertNoPartialFile(Path spool, Map<String, String> acknowledged) throws IOException {
        assertThat(CrashRecoveryIT.listing(spool.resolve("tmp"))).as("tmp/ after a 452").isEmpty();
        assertThat(CrashRecoveryIT.listing(spool.resolve("queue"))).extracting(p -> p.getFileName().toString())
                .as("queue/ after a 452").containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
    }

    private static int queueSize(Path spool) {
        try {
            return CrashRecoveryIT.listing(spool.resolve("queue")).size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int readiness(PosternProcess relay) {
        try {
            return HealthProbe.readiness(relay.httpPort).httpStatus();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Runs a command; null when it succeeded, else its output and exit status. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + ": timed out";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }
}
