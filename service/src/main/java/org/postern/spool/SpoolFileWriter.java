package org.postern.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.postern.smtp.Envelope;

/**
 * Writes one message: header, then content streamed through a buffer into {@code tmp/<id>}, and on
 * commit the trailer, the fsync of the file, the rename into {@code queue/} and the group-committed
 * fsync of {@code queue/}. Any failure removes what was written, so a message is either committed
 * and durable or not in the spool at all.
 */
final class SpoolFileWriter implements SpoolWriter {

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());
    private static final int BUFFER = 64 * 1024;
    /** The buffer a message starts with: most mail is a few KB, and the full buffer is allocated only when needed. */
    private static final int INITIAL_BUFFER = 8 * 1024;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final Envelope envelope;
    private final byte[] header;
    private final Path tmpFile;
    private final Path queueFile;
    private final GroupCommitter committer;
    private final SpoolIo io;
    private final FreshContent fresh;
    private final FileChannel channel;
    private final OutputStream file;
    private final Content content = new Content();
    private final CRC32C crc = new CRC32C();
    private long length;
    private State state = State.OPEN;

    SpoolFileWriter(Envelope envelope, byte[] header, Path tmpFile, Path queueFile, GroupCommitter committer,
            SpoolIo io, FreshContent fresh) throws IOException {
        this.envelope = envelope;
        this.header = header;
        this.tmpFile = tmpFile;
        this.queueFile = queueFile;
        this.committer = committer;
        this.io = io;
        this.fresh = fresh;
        this.channel = io.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.file = new FileBuffer(channel);
        try {
            file.write(header);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public OutputStream content() {
        return content;
    }

    @Override
    public SpooledMessage commit() throws IOException {
        if (state == State.COMMITTED) {
            throw new IllegalStateException("message " + envelope.queueId() + " already committed");
        }
        if (state == State.ABORTED) {
            throw new IOException("message " + envelope.queueId() + " was aborted (write error or abort())");
        }
        if (committer.isClosed()) {
            abort();
            throw new IOException("spool is closed; message " + envelope.queueId() + " not committed");
        }
        try {
            file.flush();
            // The length is known only now; the header reserved fixed-width digits for it.
            SpoolHeader.patchContentLength(header, length);
            Fsync.writeFully(channel, ByteBuffer.wrap(header, SpoolHeader.LENGTH_OFFSET, SpoolHeader.LENGTH_DIGITS),
                    SpoolHeader.LENGTH_OFFSET);
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(header);
            byte[] trailer = new SpoolTrailer(length, (int) crc.getValue(), (int) headerCrc.getValue()).encode();
            Fsync.writeFully(channel, ByteBuffer.wrap(trailer), header.length + length);
            channel.force(true); // the bytes are durable before the name points at them
            channel.close();
            io.moveAtomically(tmpFile, queueFile);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        try {
            committer.awaitSync(); // the name in queue/ is durable: now, and only now, 250 may be sent
        } catch (IOException e) {
            state = State.ABORTED;
            // Not acknowledged, so take it back: better a retry by the client than a duplicate.
            deleteQuietly(queueFile);
            throw e;
        }
        state = State.COMMITTED;
        fresh.remember(envelope.queueId(), new FreshContent.Location(header.length, length, (int) crc.getValue()));
        int recipients = envelope.recipients().size();
        return new SpooledMessage(envelope, Collections.nCopies(recipients, RecipientState.PENDING),
                Collections.nCopies(recipients, null), DeliverySchedule.initial(envelope.arrival()), length,
                header.length + length + SpoolTrailer.LENGTH);
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing " + tmpFile + " failed", e);
        }
        deleteQuietly(tmpFile);
    }

    @Override
    public void close() {
        abort();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // tmp/ is emptied at the next open; a file left in queue/ is delivered (at least once).
            LOG.log(Level.WARNING, "could not delete " + file, e);
        }
    }

    /**
     * Buffers the file's sequential writes: {@link #INITIAL_BUFFER} at first, {@link #BUFFER} once the
     * message outgrows that, so a short message does not allocate (and zero) the full buffer.
     */
    private static final class FileBuffer extends OutputStream {
        private final FileChannel channel;
        private byte[] buf = new byte[INITIAL_BUFFER];
        private int count;

        FileBuffer(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                drain();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - count) {
                drain();
            }
            if (len >= buf.length) {
                writeOut(ByteBuffer.wrap(b, off, len));
                return;
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            if (count > 0) {
                writeOut(ByteBuffer.wrap(buf, 0, count));
                count = 0;
            }
        }

        /** Writes the buffer out; a message that filled the small buffer gets the large one. */
        private void drain() throws IOException {
            flush();
            if (buf.length < BUFFER) {
                buf = new byte[BUFFER];
            }
        }

        private void writeOut(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** The content stream: counts and checksums what it passes to the buffered file stream. */
    private final class Content extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            ensureWritable();
            try {
                file.write(b);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
            crc.update(b);
            length++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureWritable();
            try {
                file.write(b, off, len);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
            crc.update(b, off, len);
            length += len;
        }

        @Override
        public void flush() throws IOException {
            ensureWritable();
            try {
                file.flush();
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        /** Ends writing; does not commit (the session decides that after the final dot). */
        @Override
        public void close() {
            closed = true;
        }

        private void ensureWritable() throws IOException {
            if (closed) {
                throw new IOException("content stream of " + envelope.queueId() + " is closed");
            }
            if (state != State.OPEN) {
                throw new IOException("message " + envelope.queueId() + " is " + state.name().toLowerCase());
            }
        }
    }
}
