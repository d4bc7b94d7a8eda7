package org.postern.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import org.postern.smtp.SmtpReply;

/** Buffers replies and writes them when the session is about to wait for input (see {@link SmtpInput}). */
final class SmtpOutput {
    private final OutputStream out;
    private final byte[] buf = new byte[8 * 1024];
    private int len;
    private boolean enhancedStatusCodes;
    /** System.nanoTime() when a write to the socket began, while it lasts; 0 otherwise. */
    private volatile long writingSince;

    SmtpOutput(OutputStream out) {
        this.out = out;
    }

    /** Enhanced status codes (RFC 2034) are written once the client has said EHLO. */
    void enhancedStatusCodes(boolean on) {
        this.enhancedStatusCodes = on;
    }

    void reply(SmtpReply reply) throws IOException {
        write(reply.toWire(enhancedStatusCodes));
    }

    /** A 334 AUTH continuation, which has no enhanced status code. */
    void continuation(String base64) throws IOException {
        write(("334 " + base64 + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private void write(byte[] bytes) throws IOException {
        if (len + bytes.length > buf.length) {
            flush();
        }
        if (bytes.length > buf.length) {
            timed(bytes, bytes.length, false);
            return;
        }
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    void flush() throws IOException {
        int n = len;
        len = 0;
        timed(buf, n, true);
    }

    /** Writes (and flushes) with the start time visible to the write watchdog. */
    private void timed(byte[] bytes, int count, boolean flush) throws IOException {
        writingSince = System.nanoTime() | 1; // never 0 while writing
        try {
            if (count > 0) {
                out.write(bytes, 0, count);
            }
            if (flush) {
                out.flush();
            }
        } finally {
            writingSince = 0;
        }
    }

    /** How long the write in progress has been blocked; 0 when no write is in progress. */
    long stalledNanos(long nowNanos) {
        long since = writingSince;
        return since == 0 ? 0 : nowNanos - since;
    }
}
