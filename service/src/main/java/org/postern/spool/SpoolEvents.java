package org.postern.spool;

import java.nio.file.Path;

/**
 * What the spool reports to the rest of the service (metrics, alerts). Called from the thread that
 * found the problem; implementations must be quick and must not throw.
 */
public interface SpoolEvents {

    /** Ignores every event. */
    SpoolEvents NONE = (file, reason) -> { };

    /**
     * A corrupt spool file was moved to {@code quarantine/}.
     *
     * @param file   the file's new path under {@code quarantine/}
     * @param reason why it was judged corrupt (truncated, bad CRC, bad version marker, ...)
     */
    void quarantined(Path file, String reason);
}
