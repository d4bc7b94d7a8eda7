package org.postern.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.spool.FaultInjectingSpoolIo;
import org.postern.spool.FaultInjectingSpoolIo.Operation;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpooledMessage;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Issue 9, the tool-assisted variant of crash consistency: the whole application, with a spool on
 * real files whose writes, file fsync, rename into {@code queue/} or directory fsync fail on demand
 * ({@link FaultInjectingSpoolIo}, through the spool's {@code SpoolIo} seam). For each fault the SMTP
 * transaction must be answered {@code 452 4.3.1} (the disk is full) or {@code 451 4.3.0} (any other
 * I/O error), never 250; no file may be left that recovery would deliver; and once the fault clears,
 * the same session gets 250 again. After every case a copy of the spool is recovered as a restart
 * would: exactly the acknowledged messages, intact, nothing quarantined.
 */
class SpoolFaultInjectionTest extends PosternTest {

    static final FaultInjectingSpoolIo FAULTS = new FaultInjectingSpoolIo();
    /** Queue id to message key of every message acknowledged with 250, over all cases. */
    static final Map<String, String> ACKNOWLEDGED = new TreeMap<>();

    @TestBean(name = "spool", methodName = "faultySpool")
    Spool faultySpool;

    static Spool faultySpool() {
        try {
            return FaultInjectingSpoolIo.open(Files.createTempDirectory("postern-faulty-spool"), FAULTS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Supplier<IOException> diskFull() {
        return () -> new IOException("No space left on device"); // what the JDK says for ENOSPC
    }

    private static Supplier<IOException> ioError() {
        return () -> new IOException("Input/output error"); // EIO
    }

    /** A small message fits the 64 KiB write buffer: its first write is at commit. A large one writes during DATA. */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("content write during DATA, disk full", Operation.WRITE, 0, diskFull(), 300_000, 452),
                Arguments.of("content write during DATA, I/O error", Operation.WRITE, 0, ioError(), 300_000, 451),
                Arguments.of("buffered content written at commit, disk full", Operation.WRITE, 0, diskFull(), 2_000, 452),
                Arguments.of("content-length patch at commit, I/O error", Operation.WRITE, 1, ioError(), 2_000, 451),
                Arguments.of("trailer at commit, disk full", Operation.WRITE, 2, diskFull(), 2_000, 452),
                Arguments.of("fsync of the file, I/O error", Operation.FORCE, 0, ioError(), 2_000, 451),
                Arguments.of("fsync of the file, disk full (NFS, thin volumes)", Operation.FORCE, 0, diskFull(), 2_000,
                        452),
                Arguments.of("rename into queue/, I/O error", Operation.MOVE, 0,
                        (Supplier<IOException>) () -> new FileSystemException("tmp/x", "queue/x", "Input/output error"),
                        2_000, 451),
                Arguments.of("rename into queue/, disk full", Operation.MOVE, 0,
                        (Supplier<IOException>) () -> new FileSystemException("tmp/x", "queue/x",
                                "No space left on device"), 2_000, 452),
                Arguments.of("fsync of queue/ after the rename, I/O error", Operation.SYNC_DIRECTORY, 0, ioError(),
                        2_000, 451),
                Arguments.of("large message, a write at commit, I/O error", Operation.WRITE, 6, ioError(), 300_000,
                        451));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aSpoolFaultIsA4xxNeverA250AndLeavesNothingToDeliver(String name, Operation operation, int pass,
            Supplier<IOException> error, int size, int expectedCode) throws Exception {
        String key = "fault-" + ACKNOWLEDGED.size() + "-" + operation.name().toLowerCase();
        try (SmtpTestClient client = connectEhlo()) {
            int injectedBefore = FAULTS.injected();
            FAULTS.fail(operation, pass, error);
            SmtpTestClient.Reply reply;
            try {
                reply = client.sendMessage(SmtpLoad.sender(key), List.of(SmtpLoad.recipient(key)), message(key, size));
            } finally {
                FAULTS.clear();
            }
            assertThat(FAULTS.injected()).as("the fault fired").isGreaterThan(injectedBefore);
            assertThat(reply.code()).as("reply to a message hit by: %s (%s)", name, reply).isEqualTo(expectedCode);
            assertThat(reply.enhanced()).isEqualTo(expectedCode == 452 ? "4.3.1" : "4.3.0");
            assertThat(spoolTmpFiles()).as("tmp/ after the fault").isEmpty();
            assertThat(queued()).as("queue/ after the fault").isEqualTo(ACKNOWLEDGED.keySet());

            // The fault has cleared: the same session, the same message, 250.
            SmtpTestClient.Reply retry = client.sendMessage(SmtpLoad.sender(key), List.of(SmtpLoad.recipient(key)),
                    message(key, size));
            assertThat(retry.code()).as("after the fault cleared: %s", retry).isEqualTo(250);
            ACKNOWLEDGED.put(SmtpTestClient.queueId(retry), key);
        }
        assertRecoveredAsAcknowledged();
    }

    /** What a restart would find: a copy of the spool, opened with real I/O. */
    private void assertRecoveredAsAcknowledged() throws IOException {
        Path copy = Files.createTempDirectory("postern-spool-copy");
        for (String dir : List.of("tmp", "queue", "quarantine")) {
            Files.createDirectories(copy.resolve(dir));
            for (Path f : CrashRecoveryIT.listing(spool.directory().resolve(dir))) {
                Files.copy(f, copy.resolve(dir).resolve(f.getFileName()));
            }
        }
        try {
            recover(copy);
        } finally {
            try (Stream<Path> files = Files.walk(copy)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void recover(Path copy) throws IOException {
        List<String> quarantined = new ArrayList<>();
        try (Spool reopened = Spool.open(new SpoolOptions(copy, Duration.ZERO),
                (file, reason) -> quarantined.add(file.getFileName() + ": " + reason))) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::queueId)
                    .containsExactlyElementsOf(ACKNOWLEDGED.keySet());
            for (Map.Entry<String, String> ack : ACKNOWLEDGED.entrySet()) {
                byte[] content;
                try (InputStream in = reopened.openContent(ack.getKey())) { // checks the content CRC
                    content = in.readAllBytes();
                }
                String text = new String(content, StandardCharsets.UTF_8);
                assertThat(text).as("content of %s", ack.getKey()).startsWith("Received: ")
                        .contains("Message-ID: <" + ack.getValue() + "@client.test>");
            }
            assertThat(quarantined).isEmpty();
            assertThat(reopened.quarantinedCount()).isZero();
        }
        assertThat(Set.copyOf(CrashRecoveryIT.listing(copy.resolve("tmp")))).isEmpty();
    }

    private static String message(String key, int size) {
        StringBuilder s = new StringBuilder(size + 100);
        s.append("Subject: fault ").append(key).append("\r\n");
        s.append("Message-ID: <").append(key).append("@client.test>\r\n\r\n");
        while (s.length() < size) {
            s.append("line ").append(s.length()).append(" of ").append(key).append(" abcdefghijklmnopqrstuvwxyz\r\n");
        }
        return s.toString();
    }
}
