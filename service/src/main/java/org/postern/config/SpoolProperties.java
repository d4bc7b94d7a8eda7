package org.postern.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The durable message store.
 *
 * @param directory         where accepted messages are kept (tmp/, queue/, quarantine/ below it)
 * @param groupCommitWindow how long a commit may wait for others to share one directory fsync;
 *                          zero batches only the commits already waiting
 */
public record SpoolProperties(
        @DefaultValue("./data/spool") Path directory,
        @DefaultValue("0ms") Duration groupCommitWindow) {
}
