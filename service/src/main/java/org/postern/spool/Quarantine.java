package org.postern.spool;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code quarantine/} directory: where corrupt spool files go, under their own name, so an
 * operator can inspect or repair them. Nothing here is ever deleted by Postern. Each move is
 * logged at WARNING with its reason, counted and reported through {@link SpoolEvents}.
 */
final class Quarantine {

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());

    private final Path directory;
    private final SpoolEvents events;
    private final AtomicLong count = new AtomicLong();
    /** Serialises choosing a free name with the move, so two moves never take the same name. */
    private final ReentrantLock lock = new ReentrantLock();

    Quarantine(Path directory, SpoolEvents events) {
        this.directory = directory;
        this.events = events;
    }

    /**
     * Moves {@code file} here durably (both directories fsynced).
     *
     * @return the new path, or null when the file had already gone (quarantined by another reader)
     */
    Path move(Path file, String reason) throws IOException {
        Path target;
        lock.lock();
        try {
            String name = file.getFileName().toString();
            target = directory.resolve(name);
            for (int n = 1; Files.exists(target); n++) {
                target = directory.resolve(name + "." + n); // keeps an earlier file of the same name
            }
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return null;
            }
        } finally {
            lock.unlock();
        }
        Fsync.directory(directory);
        Fsync.directory(file.getParent());
        count.incrementAndGet();
        LOG.log(Level.WARNING, "quarantined spool file {0} as {1}: {2}", file, target, reason);
        try {
            events.quarantined(target, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "spool event listener failed", e);
        }
        return target;
    }

    long count() {
        return count.get();
    }
}
