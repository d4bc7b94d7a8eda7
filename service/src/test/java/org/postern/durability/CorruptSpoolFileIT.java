package org.postern.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpoolWriter;
import org.postern.testing.TestMailReceiver;

/**
 * Issue 9, corrupt spool file: a spool holding good messages and one file broken in each way a disk,
 * a tool or a person can break it (cut short, a flipped byte in the header or in the content,
 * garbage in the header, emptied, another format version), placed there before the packaged relay
 * starts. The relay must start, move each broken file to {@code quarantine/} (counted in
 * {@code postern_spool_quarantined_total}, logged with its reason), deliver every good message to
 * the next hop exactly once, and never deliver a broken one, not even the one whose corruption shows
 * only when its content is read during delivery.
 */
class CorruptSpoolFileIT {

    private static final int GOOD = 6;
    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <([^@>]+)@client\\.test>\r\n");

    @TempDir
    Path spool;

    @Test
    void corruptFilesAreQuarantinedAndEveryOtherMessageDelivered() throws Exception {
        Map<String, String> good = new LinkedHashMap<>(); // queue id -> message key
        Map<String, String> broken = new LinkedHashMap<>(); // queue id -> how it was broken
        try (Spool writer = Spool.open(new SpoolOptions(spool, Duration.ZERO), SpoolEvents.NONE)) {
            for (int i = 0; i < GOOD; i++) {
                good.put(store(writer, "good-" + i), "good-" + i);
            }
            for (String how : List.of("truncated", "header-crc", "garbage-header", "zero-length", "wrong-version",
                    "content-crc")) {
                broken.put(store(writer, "bad-" + how), how);
            }
        }
        for (Map.Entry<String, String> b : broken.entrySet()) {
            corrupt(spool.resolve("queue").resolve(b.getKey()), b.getValue());
        }

        try (TestMailReceiver receiver = new TestMailReceiver();
                PosternProcess relay = PosternProcess.start(spool, "CorruptSpoolFileIT.log", Map.of(
                        "postern.routing.smart-host", receiver.smartHost(),
                        "postern.queue.min-backoff", "1s",
                        "postern.queue.max-backoff", "2s"))) {
            TestMailReceiver.await(Duration.ofSeconds(90), () -> receiver.messages().size() >= GOOD && queueEmpty(),
                    "the good messages delivered and queue/ empty");
            Thread.sleep(1000); // would a broken one still arrive?

            Map<String, Integer> delivered = new HashMap<>();
            for (TestMailReceiver.Message m : receiver.messages()) {
                Matcher id = MESSAGE_ID.matcher(m.text());
                assertThat(id.find()).as("a test Message-ID in %s", m.text()).isTrue();
                delivered.merge(id.group(1), 1, Integer::sum);
                String sent = content(id.group(1));
                assertThat(m.text()).as("body of %s", id.group(1)).endsWith(sent.substring(sent.indexOf("\r\n\r\n")));
            }
            Map<String, Integer> expected = new HashMap<>();
            good.values().forEach(k -> expected.put(k, 1));
            assertThat(delivered).as("deliveries per message: each good one once, no broken one").isEqualTo(expected);

            assertThat(relay.get("/actuator/prometheus")).contains("postern_spool_quarantined_total " + broken.size() + ".0");
            String log = relay.log();
            for (Map.Entry<String, String> b : broken.entrySet()) {
                assertThat(log).as("the log names %s (%s)", b.getKey(), b.getValue())
                        .containsPattern("quarantined spool file \\S*" + b.getKey() + " as \\S+: ");
            }
            assertThat(log).contains("header CRC mismatch").contains("unsupported spool format version 7")
                    .contains("content CRC mismatch").contains("truncated");
            relay.stop(Duration.ofSeconds(60));
        }
        List<Path> quarantined = CrashRecoveryIT.listing(spool.resolve("quarantine"));
        assertThat(quarantined).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(broken.keySet());
        assertThat(CrashRecoveryIT.listing(spool.resolve("queue"))).isEmpty();
        System.out.printf("CorruptSpoolFileIT result: %d broken files quarantined (%s), %d good messages delivered once%n",
                broken.size(), String.join(", ", broken.values()), good.size());
    }

    private boolean queueEmpty() {
        try {
            return CrashRecoveryIT.listing(spool.resolve("queue")).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Commits one message as the relay would have; returns its queue id. */
    private static String store(Spool spool, String key) throws IOException {
        String id = spool.newQueueId();
        Envelope envelope = new Envelope(id, Instant.now(), new MailAddress("s-" + key, "client.test"),
                List.of(Recipient.of(new MailAddress("r-" + key, "example.net"))), BodyType.SEVEN_BIT, false, null,
                null, "127.0.0.1", null, "client.test", null, "ESMTP", "MTA");
        try (SpoolWriter writer = spool.create(envelope)) {
            writer.content().write(content(key).getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
        return id;
    }

    /**
     * The message for a key: about 180 KB for one good message and the one whose content is broken
     * (more than one 64 KiB read, so delivery has sent part of it when the CRC is checked), else small.
     */
    private static String content(String key) {
        StringBuilder s = new StringBuilder();
        s.append("Subject: corrupt spool ").append(key).append("\r\n");
        s.append("Message-ID: <").append(key).append("@client.test>\r\n\r\n");
        int lines = key.equals("good-0") || key.equals("bad-content-crc") ? 4000 : 3;
        for (int i = 0; i < lines; i++) {
            s.append("line ").append(i).append(" of ").append(key).append(" abcdefghijklmnopqrstuvwxyz\r\n");
        }
        return s.toString();
    }

    private static void corrupt(Path file, String how) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\n\n") + 2;
        switch (how) {
            case "truncated" -> bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            case "zero-length" -> bytes = new byte[0];
            case "wrong-version" -> bytes[text.indexOf("POSTERN-SPOOL 1") + 14] = '7';
            case "header-crc" -> { // one letter of the HELO name: still a valid header, but not the one written
                int at = text.indexOf("\nhelo client.test\n") + 6;
                bytes[at] = 'k';
            }
            case "content-crc" -> bytes[headerEnd + 1000] ^= 0x20; // caught only when the content is read
            case "garbage-header" -> {
                Random random = new Random(42);
                for (int i = 60; i < headerEnd - 2; i++) {
                    bytes[i] = (byte) (random.nextInt(10) == 0 ? '\n' : 0x21 + random.nextInt(94));
                }
            }
            default -> throw new IllegalArgumentException(how);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
