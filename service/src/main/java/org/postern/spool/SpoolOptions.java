package org.postern.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link Spool}.
 *
 * @param directory         the spool directory; {@code tmp/}, {@code queue/} and {@code quarantine/}
 *                          are created inside it. Must be on a file system that honours fsync.
 * @param groupCommitWindow how long the committer waits, after the first commit of a batch arrives,
 *                          for more commits to share its directory fsync. {@link Duration#ZERO}
 *                          batches only the commits already waiting. Adds at most this much
 *                          latency to each commit.
 */
public record SpoolOptions(Path directory, Duration groupCommitWindow) {

    public SpoolOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(groupCommitWindow, "groupCommitWindow");
        if (groupCommitWindow.isNegative()) {
            throw new IllegalArgumentException("groupCommitWindow must not be negative: " + groupCommitWindow);
        }
    }
}
