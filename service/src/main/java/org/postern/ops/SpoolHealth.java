package org.postern.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the spool can take mail: its directories are there and writable, and its file system has
 * at least {@code postern.health.spool-min-free-space} of usable space. A relay that cannot store a
 * message cannot accept it (250 means durable), so this check is part of readiness: the load
 * balancer sends clients elsewhere instead of letting them collect 452s. Like Spring Boot's
 * DiskSpaceHealthIndicator, but for the spool, with its own threshold and a writability check.
 *
 * <p>Writability is what {@code access(2)} says: for root that ignores permissions and catches only
 * a read-only mount. Nothing is written, so a probe every few seconds costs no fsync.
 */
public final class SpoolHealth {

    private final Path directory;
    private final long minFreeBytes;

    /**
     * @param directory    the spool directory (with {@code tmp/} and {@code queue/} below it)
     * @param minFreeBytes the least usable space for the spool to count as ready
     */
    public SpoolHealth(Path directory, long minFreeBytes) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
    }

    public HealthReport check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("directory", directory.toString());
        String problem = null;
        // Messages are written in tmp/ and renamed into queue/: both must take new entries.
        for (Path dir : new Path[] {directory.resolve("tmp"), directory.resolve("queue")}) {
            if (!Files.isDirectory(dir)) {
                problem = directory.relativize(dir) + "/ is missing";
                break;
            }
            if (!Files.isWritable(dir)) {
                problem = directory.relativize(dir) + "/ is not writable";
                break;
            }
        }
        details.put("writable", problem == null);
        try {
            long free = Files.getFileStore(directory).getUsableSpace();
            details.put("free", free);
            if (problem == null && free < minFreeBytes) {
                problem = "free space " + free + " bytes is below the threshold of " + minFreeBytes + " bytes";
            }
        } catch (IOException e) {
            if (problem == null) {
                problem = "cannot read the free space: " + e.getMessage();
            }
        }
        details.put("threshold", minFreeBytes);
        if (problem != null) {
            details.put("reason", problem);
        }
        return new HealthReport(problem == null, details);
    }
}
