package org.postern.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The content of one spool file, read through a fixed buffer and checked against the trailer's
 * CRC32C. The check happens when the last content bytes come off the disk, before they are handed
 * out: a reader copying to a next hop gets the exception before it has sent the whole message, so
 * a corrupt message is never completed downstream.
 */
final class ContentInputStream extends InputStream {

    /** Called once when the CRC does not match; quarantines the file. */
    interface Corruption {
        void found(String reason) throws IOException;
    }

    private static final int BUFFER = 64 * 1024;

    private final FileChannel channel;
    private final int expectedCrc;
    private final Corruption corruption;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer;
    private long position;
    private long remaining;
    private boolean verified;
    private boolean closed;

    ContentInputStream(FileChannel channel, long start, long length, int expectedCrc, Corruption corruption) {
        this.channel = channel;
        this.position = start;
        this.remaining = length;
        this.expectedCrc = expectedCrc;
        this.corruption = corruption;
        this.buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
        buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return buffer.remaining();
    }

    /** Makes buffered bytes available; false at the end of the content. */
    private boolean fill() throws IOException {
        ensureOpen();
        if (buffer.hasRemaining()) {
            return true;
        }
        if (remaining > 0) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), remaining));
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException("spool file shrank while its content was read");
                }
                position += n;
            }
            buffer.flip();
            crc.update(buffer.array(), 0, buffer.limit());
            remaining -= buffer.limit();
        }
        if (remaining == 0 && !verified) {
            verified = true;
            if ((int) crc.getValue() != expectedCrc) {
                buffer.limit(0);
                close();
                String reason = "content CRC mismatch";
                corruption.found(reason);
                throw new QuarantineException(reason);
            }
        }
        return buffer.hasRemaining();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("content stream closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
