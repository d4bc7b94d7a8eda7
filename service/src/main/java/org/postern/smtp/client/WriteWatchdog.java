package org.postern.smtp.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds blocking socket writes, which Java cannot time out: a write in progress carries a deadline,
 * and one daemon thread, looking every {@link #TICK_MILLIS} ms at the writes in progress, closes the
 * raw TCP socket of any past its deadline, which makes the write fail. A peer that stops reading
 * mid-DATA therefore costs at most the data-block timeout (plus a tick).
 *
 * <p>Why a scan and not a timer per write: arming and cancelling a scheduled task for every write
 * woke the timer thread twice per write, which at a few thousand messages a second was one of the
 * relay's largest sources of context switches. A write now costs two set operations; the thread
 * sleeps for good once no write has been in progress for a while.
 */
final class WriteWatchdog extends OutputStream {

    /** How often writes in progress are looked at: the precision of every write timeout. */
    static final long TICK_MILLIS = 100;
    /** Ticks without any write in progress after which the scanner parks until the next write. */
    private static final int IDLE_TICKS = 50;

    private static final Set<WriteWatchdog> WRITING = ConcurrentHashMap.newKeySet();
    private static final Scanner SCANNER = new Scanner();

    private final Socket rawSocket;
    private final OutputStream out;
    private volatile long timeoutNanos;
    /** System.nanoTime() by which the write in progress must return; meaningful while in {@link #WRITING}. */
    private volatile long deadline;
    private volatile boolean fired;

    WriteWatchdog(Socket rawSocket, OutputStream out, Duration timeout) {
        this.rawSocket = rawSocket;
        this.out = out;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The bound for the writes that follow. */
    void timeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** True when a write timed out and the socket was closed because of it. */
    boolean fired() {
        return fired;
    }

    /** Runs a blocking step (a TLS handshake) under the same guard. */
    <T> T guard(Duration timeout, IoAction<T> action) throws IOException {
        arm(timeout.toNanos());
        try {
            return action.run();
        } finally {
            disarm();
        }
    }

    interface IoAction<T> {
        T run() throws IOException;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        arm(timeoutNanos);
        try {
            out.write(b, off, len);
        } finally {
            disarm();
        }
    }

    @Override
    public void flush() throws IOException {
        arm(timeoutNanos);
        try {
            out.flush();
        } finally {
            disarm();
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void arm(long nanos) {
        deadline = System.nanoTime() + nanos;
        WRITING.add(this);
        SCANNER.wake();
    }

    private void disarm() {
        WRITING.remove(this);
    }

    /** Closes the socket if this write is past its deadline at {@code now}. */
    private void expireIfLate(long now) {
        if (now - deadline > 0 && WRITING.remove(this)) {
            fired = true;
            try {
                rawSocket.close(); // the raw socket: closing an SSLSocket could wait on the blocked writer
            } catch (IOException ignored) {
                // closing is all we can do
            }
        }
    }

    /** The one thread that looks at every write in progress; started at the first write. */
    private static final class Scanner {
        private volatile Thread thread;
        private volatile boolean parked;

        /** Cheap when the scanner runs (a volatile read); unparks it when it sleeps. */
        void wake() {
            Thread t = thread;
            if (t == null) {
                start();
            } else if (parked) {
                parked = false;
                LockSupport.unpark(t);
            }
        }

        private synchronized void start() {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("smtp-client-write-watchdog").start(this::scan);
            }
        }

        private void scan() {
            int idle = 0;
            while (true) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
                if (WRITING.isEmpty()) {
                    if (++idle < IDLE_TICKS) {
                        continue;
                    }
                    // Park until a write arrives; a write that raced with this is seen by the re-check.
                    parked = true;
                    if (WRITING.isEmpty()) {
                        while (parked) {
                            LockSupport.park(this);
                        }
                    }
                    parked = false;
                    idle = 0;
                    continue;
                }
                idle = 0;
                long now = System.nanoTime();
                for (WriteWatchdog w : WRITING) {
                    w.expireIfLate(now);
                }
            }
        }
    }
}
