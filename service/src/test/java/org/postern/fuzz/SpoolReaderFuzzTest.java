package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.postern.spool.QuarantineException;
import org.postern.spool.Spool;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpoolWriter;
import org.postern.spool.SpooledMessage;

/**
 * Fuzzes the spool file reader through the spool's own API: the input is written as the committed
 * file of queue id {@link #QUEUE_ID} and read with {@link Spool#read} and {@link Spool#openContent}.
 * A file either gives a message whose content has the announced length, or is reported corrupt with
 * {@link QuarantineException} and moved to {@code quarantine/}; nothing else may escape (no unchecked
 * exception, no other IOException), and reading allocates in proportion to the file, never to a
 * length field. A message read is spooled again from its envelope and content and must read back the
 * same. {@link #spoolFilesWithValidChecksums} first corrects the trailer's and the records' CRC32C,
 * so that the fuzzer reaches the envelope and record parsers behind the checksums.
 */
class SpoolReaderFuzzTest {

    /** The queue id of every fuzzed file; the seeds are written with it ({@link SpoolSeedsWriter}). */
    static final String QUEUE_ID = "F0000000000FUZZ";

    private static final String TRAILER_START = "POSTERN-END content-length=";
    private static final int TRAILER_LENGTH = TRAILER_START.length() + 19 + " content-crc32c=".length() + 8
            + " header-crc32c=".length() + 8 + 1;
    /** Where the content length's 19 digits stand in the header: after "POSTERN-SPOOL n\ncontent-length ". */
    private static final int LENGTH_OFFSET = "POSTERN-SPOOL 1\ncontent-length ".length();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private Path directory;
    private Spool spool;
    private final List<Path> quarantined = new ArrayList<>();

    @BeforeEach
    void openSpool() throws IOException {
        // tmpfs when there is one: every quarantine and commit fsyncs, which a disk makes slow
        Path shm = Path.of("/dev/shm");
        directory = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "postern-fuzz-")
                : Files.createTempDirectory("postern-fuzz-");
        spool = Spool.open(new SpoolOptions(directory, Duration.ZERO), (file, reason) -> quarantined.add(file));
    }

    @AfterEach
    void closeSpool() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void spoolFiles(byte[] file) throws IOException {
        readOrQuarantine(file);
    }

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void spoolFilesWithValidChecksums(byte[] file) throws IOException {
        readOrQuarantine(withValidChecksums(file));
    }

    private void readOrQuarantine(byte[] bytes) throws IOException {
        Path file = directory.resolve("queue").resolve(QUEUE_ID);
        Files.write(file, bytes);
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        SpooledMessage message;
        try {
            message = spool.read(QUEUE_ID);
        } catch (QuarantineException e) {
            assertQuarantined(file, e);
            return;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (CLASSES.getTotalLoadedClassCount() == classesBefore) { // loading (and instrumenting) a class allocates too
            assertThat(allocated).as("bytes allocated reading a %d-byte file", bytes.length)
                    .isLessThanOrEqualTo(64L * bytes.length + (1 << 20));
        }
        assertThat(message.queueId()).isEqualTo(QUEUE_ID);
        assertThat(message.fileSize()).isEqualTo(bytes.length);
        assertThat(message.contentLength()).isLessThan(bytes.length);
        assertThat(message.states()).hasSameSizeAs(message.envelope().recipients());
        byte[] content;
        try (InputStream in = spool.openContent(QUEUE_ID)) {
            content = in.readAllBytes();
        } catch (QuarantineException e) {
            assertQuarantined(file, e);
            return;
        }
        assertThat((long) content.length).isEqualTo(message.contentLength());
        assertThat(Files.exists(file)).as("a file read without error stays in the queue").isTrue();
        assertSpoolsAgain(message, content);
    }

    private void assertQuarantined(Path file, QuarantineException e) throws IOException {
        assertThat(e.reason()).isNotBlank();
        assertThat(Files.exists(file)).as("corrupt file (%s) left in the queue", e.reason()).isFalse();
        assertThat(quarantined).as("quarantine reported").hasSize(1);
        Files.delete(quarantined.removeFirst()); // keeps quarantine/ small over millions of runs
    }

    /** The envelope and content read, spooled anew, read back the same. */
    private void assertSpoolsAgain(SpooledMessage message, byte[] content) throws IOException {
        spool.delete(QUEUE_ID);
        try (SpoolWriter writer = spool.create(message.envelope())) {
            try (OutputStream out = writer.content()) {
                out.write(content);
            }
            writer.commit();
        }
        SpooledMessage again = spool.read(QUEUE_ID);
        assertThat(again.envelope()).isEqualTo(message.envelope());
        assertThat(again.contentLength()).isEqualTo(message.contentLength());
        try (InputStream in = spool.openContent(QUEUE_ID)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        spool.delete(QUEUE_ID);
    }

    /**
     * The file with the trailer's CRCs and each record's CRC made right, where the file has a
     * header, a content length and a trailer where the header says; otherwise unchanged.
     */
    static byte[] withValidChecksums(byte[] file) {
        byte[] out = file.clone();
        int headerLength = -1;
        for (int i = 1; i < out.length; i++) {
            if (out[i] == '\n' && out[i - 1] == '\n') {
                headerLength = i + 1;
                break;
            }
        }
        if (headerLength < LENGTH_OFFSET + 19) {
            return out;
        }
        String digits = new String(out, LENGTH_OFFSET, 19, StandardCharsets.ISO_8859_1);
        if (!digits.matches("[0-9]{19}")) {
            return out;
        }
        long contentLength = digits.compareTo("9223372036854775807") > 0 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (contentLength > out.length - headerLength - TRAILER_LENGTH) {
            return out;
        }
        int trailer = headerLength + (int) contentLength;
        if (!new String(out, trailer, TRAILER_START.length(), StandardCharsets.ISO_8859_1).equals(TRAILER_START)) {
            return out;
        }
        int contentCrcAt = trailer + TRAILER_START.length() + 19 + " content-crc32c=".length();
        int headerCrcAt = contentCrcAt + 8 + " header-crc32c=".length();
        writeHex(out, contentCrcAt, crc(out, headerLength, (int) contentLength));
        writeHex(out, headerCrcAt, crc(out, 0, headerLength));
        int recordsStart = trailer + TRAILER_LENGTH;
        StringBuilder records = new StringBuilder();
        String tail = new String(out, recordsStart, out.length - recordsStart, StandardCharsets.ISO_8859_1);
        int start = 0;
        for (int nl = tail.indexOf('\n'); nl >= 0; nl = tail.indexOf('\n', start)) {
            String line = tail.substring(start, nl);
            int lastSpace = line.lastIndexOf(' ');
            if (lastSpace >= 0) {
                String body = line.substring(0, lastSpace);
                byte[] bodyBytes = body.getBytes(StandardCharsets.ISO_8859_1);
                line = body + ' ' + String.format("%08x", crc(bodyBytes, 0, bodyBytes.length));
            }
            records.append(line).append('\n');
            start = nl + 1;
        }
        records.append(tail, start, tail.length());
        byte[] fixedRecords = records.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] fixed = new byte[recordsStart + fixedRecords.length];
        System.arraycopy(out, 0, fixed, 0, recordsStart);
        System.arraycopy(fixedRecords, 0, fixed, recordsStart, fixedRecords.length);
        return fixed;
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return crc.getValue();
    }

    private static void writeHex(byte[] out, int at, long value) {
        byte[] hex = String.format("%08x", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, out, at, 8);
    }
}
