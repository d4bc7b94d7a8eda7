package org.postern.smtp.server;

import java.io.IOException;

/** Reads exactly one BDAT chunk (RFC 3030): no dot-stuffing, no end marker, just a byte count. */
final class ChunkReader {
    private ChunkReader() {
    }

    /** Passes {@code size} bytes to the sink, or discards them when the sink is null. */
    static void read(SmtpInput in, long size, MessageSink sink) throws IOException {
        long remaining = size;
        while (remaining > 0) {
            in.require();
            int start = in.position();
            int n = (int) Math.min(remaining, in.limit() - start);
            if (sink != null) {
                sink.write(in.buffer(), start, n);
            }
            in.advance(start + n);
            remaining -= n;
        }
    }
}
