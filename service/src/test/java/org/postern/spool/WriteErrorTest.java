package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills: a write error while content streams in, or while the trailer is written at
 * commit, is an IOException to the session, and the temporary file is gone. The error is real: a
 * child JVM runs under {@code ulimit -f}, so the kernel refuses to grow a file past 1 MiB (EFBIG,
 * which takes the same path as ENOSPC).
 */
@EnabledOnOs(OS.LINUX)
class WriteErrorTest {

    static final int LIMIT = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void writeErrorsFailTheMessageAndLeaveNoTemporaryFile() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -f " + LIMIT / 1024 + " && exec \"$0\" \"$@\"",
                java, "-cp", System.getProperty("java.class.path"), Harness.class.getName(), dir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        assertThat(output).contains("content write failed: File too large")
                .contains("tmp after content failure: []")
                .contains("commit after failure: IOException")
                .contains("commit failed: File too large")
                .contains("tmp after commit failure: []")
                .contains("small message committed");
        assertEmpty(dir.resolve("tmp"));
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).singleElement()
                    .satisfies(m -> assertThat(m.contentLength()).isEqualTo(5));
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }

    /** Runs in the child JVM whose files may not grow past {@link #LIMIT}. */
    public static final class Harness {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            try (Spool spool = Spool.open(new SpoolOptions(dir, Duration.ZERO), SpoolEvents.NONE)) {
                // 1. The disk fills while the content streams in.
                SpoolWriter big = spool.create(envelope(spool.newQueueId(), 1));
                try {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 2 * LIMIT / chunk.length; i++) {
                        big.content().write(chunk);
                    }
                    System.out.println("content write did not fail");
                } catch (IOException e) {
                    System.out.println("content write failed: " + e.getMessage());
                }
                System.out.println("tmp after content failure: " + names(dir.resolve("tmp")));
                try {
                    big.commit();
                } catch (IOException e) {
                    System.out.println("commit after failure: IOException");
                }

                // 2. The content fits, the trailer does not: commit fails.
                var envelope = envelope(spool.newQueueId(), 1);
                SpoolWriter tight = spool.create(envelope);
                int header = SpoolHeader.encode(envelope).length;
                tight.content().write(new byte[LIMIT - header - 10]);
                try {
                    tight.commit();
                    System.out.println("commit did not fail");
                } catch (IOException e) {
                    System.out.println("commit failed: " + e.getMessage());
                }
                System.out.println("tmp after commit failure: " + names(dir.resolve("tmp")));

                // 3. The spool still works for what fits.
                store(spool, 1, "small");
                System.out.println("small message committed");
            }
        }

        private static List<String> names(Path d) throws IOException {
            try (var s = Files.list(d)) {
                return new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }
}
