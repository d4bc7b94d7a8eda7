package org.postern.smtp.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking socket writes, which Java cannot time out: each write arms a timer that closes
 * the raw TCP socket if the write has not returned in time, which makes the write fail. A peer that
 * stops reading mid-DATA therefore costs at most the data-block timeout. One daemon thread serves
 * every session; it only closes sockets.
 */
final class WriteWatchdog extends OutputStream {

    private static final ScheduledExecutorService TIMER = timer();

    private final Socket rawSocket;
    private final OutputStream out;
    private volatile long timeoutMillis;
    private volatile boolean fired;

    WriteWatchdog(Socket rawSocket, OutputStream out, Duration timeout) {
        this.rawSocket = rawSocket;
        this.out = out;
        this.timeoutMillis = timeout.toMillis();
    }

    /** The bound for the writes that follow. */
    void timeout(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    /** True when a write timed out and the socket was closed because of it. */
    boolean fired() {
        return fired;
    }

    /** Runs a blocking step (a TLS handshake) under the same guard. */
    <T> T guard(Duration timeout, IoAction<T> action) throws IOException {
        ScheduledFuture<?> timer = arm(timeout.toMillis());
        try {
            return action.run();
        } finally {
            timer.cancel(false);
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
        ScheduledFuture<?> timer = arm(timeoutMillis);
        try {
            out.write(b, off, len);
        } finally {
            timer.cancel(false);
        }
    }

    @Override
    public void flush() throws IOException {
        ScheduledFuture<?> timer = arm(timeoutMillis);
        try {
            out.flush();
        } finally {
            timer.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private ScheduledFuture<?> arm(long millis) {
        return TIMER.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
    }

    private void expire() {
        fired = true;
        try {
            rawSocket.close(); // the raw socket: closing an SSLSocket could wait on the blocked writer
        } catch (IOException ignored) {
            // closing is all we can do
        }
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-client-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // most timers are cancelled; don't let them pile up
        return Executors.unconfigurableScheduledExecutorService(executor);
    }
}
