package org.postern.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of directory entries: one thread fsyncs the queue directory for every caller
 * waiting at that moment (plus those arriving within the window), so N sessions committing together
 * cost one directory fsync instead of N. A caller is released only by an fsync that started after
 * it asked, which is after its rename: its entry is then durable. Callers block on a future, not a
 * monitor, so virtual threads are not pinned.
 *
 * <p>A removal by the delivery queue does not wait ({@link #syncSoon}): its unlink rides on the
 * next fsync, a commit's under load, or the committer's own within {@link #REMOVAL_SYNC_DELAY}.
 * Waiting for it bought nothing a crash could lose except a repeated delivery, which a crash
 * just before the unlink causes anyway, and cost a directory fsync and two thread hand-offs per
 * message when commits and removals did not coincide.
 */
final class GroupCommitter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    /** How long close() waits for an fsync in progress before failing the callers still queued. */
    private static final long CLOSE_WAIT_MILLIS = 30_000;
    /** The longest a removal stays without a directory fsync when no commit comes to share one. */
    static final Duration REMOVAL_SYNC_DELAY = Duration.ofSeconds(1);

    private final Path directory;
    private final long windowNanos;
    private final SpoolIo io;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition closing = lock.newCondition();
    private final AtomicLong syncs = new AtomicLong();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** An entry was removed since the last fsync began, and nobody waits for its fsync. */
    private boolean unsynced;
    private boolean closed;
    private final Thread thread;

    GroupCommitter(Path directory, Duration window) {
        this(directory, window, SpoolIo.REAL);
    }

    GroupCommitter(Path directory, Duration window, SpoolIo io) {
        this.directory = directory;
        this.windowNanos = window.toNanos();
        this.io = io;
        this.thread = Thread.ofPlatform().daemon().name("postern-spool-committer").start(this::run);
    }

    /** Returns once {@link #directory} has been fsynced after this call began; throws if that fsync failed. */
    void awaitSync() throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                throw new IOException("spool " + directory.getParent() + " is closed");
            }
            waiting.add(done);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new IOException(io.getMessage(), io)
                    : new IOException("directory fsync of " + directory + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the directory fsync of " + directory);
        }
    }

    /**
     * Records that an entry of the directory was removed, without waiting for the fsync that makes
     * it durable: the next commit's, or the committer's own within {@link #REMOVAL_SYNC_DELAY}.
     */
    void syncSoon() {
        lock.lock();
        try {
            unsynced = true; // no signal: the committer looks at least every REMOVAL_SYNC_DELAY
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** How many callers wait for the next fsync (not counting a batch being synced). */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many directory fsyncs were done: fewer than commits when group commit batches. */
    long syncCount() {
        return syncs.get();
    }

    private void run() {
        try {
            while (true) {
                List<CompletableFuture<Void>> batch;
                lock.lock();
                try {
                    // Timed, so that a removal nobody waits for is synced within the delay.
                    long removalNanos = REMOVAL_SYNC_DELAY.toNanos();
                    while (waiting.isEmpty() && !closed && (!unsynced || removalNanos > 0)) {
                        long left = arrived.awaitNanos(removalNanos);
                        removalNanos = unsynced ? left : REMOVAL_SYNC_DELAY.toNanos();
                    }
                    if (waiting.isEmpty() && !unsynced) {
                        return; // closed, nothing left
                    }
                    // Wait for more commits to share this fsync, unless closing: then finish promptly.
                    long nanos = waiting.isEmpty() ? 0 : windowNanos;
                    while (nanos > 0 && !closed) {
                        nanos = closing.awaitNanos(nanos);
                    }
                    batch = waiting;
                    waiting = new ArrayList<>();
                    unsynced = false; // the fsync below begins after every removal recorded so far
                } finally {
                    lock.unlock();
                }
                sync(batch);
            }
        } catch (InterruptedException e) {
            LOG.log(Level.WARNING, "spool committer interrupted; failing pending commits");
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "spool committer failed; failing pending commits", t);
        } finally {
            failWaiting("spool committer stopped");
        }
    }

    private void sync(List<CompletableFuture<Void>> batch) {
        try {
            io.syncDirectory(directory);
            syncs.incrementAndGet();
            batch.forEach(f -> f.complete(null));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "directory fsync of " + directory + " failed", e);
            IOException failure = new IOException("directory fsync of " + directory + " failed: " + e, e);
            batch.forEach(f -> f.completeExceptionally(failure));
        }
    }

    private void failWaiting(String reason) {
        List<CompletableFuture<Void>> left;
        lock.lock();
        try {
            closed = true;
            left = waiting;
            waiting = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        IOException failure = new IOException(reason);
        left.forEach(f -> f.completeExceptionally(failure));
    }

    /** Stops accepting callers, syncs for those already waiting, and stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
            closing.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failWaiting("spool closed before the directory fsync");
    }
}
