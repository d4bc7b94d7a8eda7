package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolHealthTest {

    @TempDir
    Path spool;

    @BeforeEach
    void directories() throws IOException {
        Files.createDirectories(spool.resolve("tmp"));
        Files.createDirectories(spool.resolve("queue"));
    }

    @Test
    void upWhenWritableWithRoomAboveTheThreshold() {
        HealthReport report = new SpoolHealth(spool, 1024).check();
        assertThat(report.up()).isTrue();
        assertThat(report.details()).containsEntry("writable", true).containsEntry("threshold", 1024L)
                .containsEntry("directory", spool.toString()).doesNotContainKey("reason");
        assertThat((Long) report.details().get("free")).isGreaterThan(1024L);
    }

    @Test
    void downWhenFreeSpaceIsBelowTheThreshold() {
        HealthReport report = new SpoolHealth(spool, Long.MAX_VALUE).check();
        assertThat(report.up()).isFalse();
        assertThat(report.details()).containsEntry("writable", true).containsEntry("threshold", Long.MAX_VALUE);
        assertThat((String) report.details().get("reason")).startsWith("free space ")
                .endsWith("is below the threshold of " + Long.MAX_VALUE + " bytes");
    }

    @Test
    void downWhenADirectoryIsMissing() throws IOException {
        Files.delete(spool.resolve("queue"));
        HealthReport report = new SpoolHealth(spool, 0).check();
        assertThat(report.up()).isFalse();
        assertThat(report.details()).containsEntry("writable", false).containsEntry("reason", "queue/ is missing");
    }

    @Test
    void downWhenADirectoryIsNotWritable() throws IOException {
        Path tmp = spool.resolve("tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(tmp), "running as root: permissions do not stop writes");
            HealthReport report = new SpoolHealth(spool, 0).check();
            assertThat(report.up()).isFalse();
            assertThat(report.details()).containsEntry("writable", false)
                    .containsEntry("reason", "tmp/ is not writable");
        } finally {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
