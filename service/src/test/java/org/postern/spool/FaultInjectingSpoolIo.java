package org.postern.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Real spool files with failures on demand, for fault-injection tests: a {@link SpoolIo} that does
 * the real NIO call unless a fault is armed for that operation, and then throws the error the test
 * chose (a full disk, an I/O error). Write and fsync faults apply only to messages being written in
 * {@code tmp/}, so the delivery queue's own appends to committed files never trip them. A failing
 * write first writes half of its bytes, as a short write before ENOSPC does. A fault stays armed
 * until {@link #clear()}: a disk does not heal after one error.
 */
public final class FaultInjectingSpoolIo implements SpoolIo {

    /** What can be made to fail. */
    public enum Operation {
        /** Any write to a message file in {@code tmp/} (content, length patch, trailer). */
        WRITE,
        /** The fsync of a message file in {@code tmp/}. */
        FORCE,
        /** The atomic rename from {@code tmp/} into {@code queue/}. */
        MOVE,
        /** The group-committed fsync of {@code queue/}. */
        SYNC_DIRECTORY
    }

    private record Fault(Supplier<IOException> error, AtomicInteger pass) {
    }

    private final Map<Operation, Fault> armed = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();

    /** Opens a spool on real files in {@code directory} whose commits go through {@code io}. */
    public static Spool open(Path directory, FaultInjectingSpoolIo io) throws IOException {
        return Spool.open(new SpoolOptions(directory, Duration.ZERO), SpoolEvents.NONE, io);
    }

    /**
     * From now on, {@code operation} fails with {@code error}, after {@code pass} more of them went
     * through, until {@link #clear()}.
     */
    public void fail(Operation operation, int pass, Supplier<IOException> error) {
        armed.put(operation, new Fault(error, new AtomicInteger(pass)));
    }

    /** The disk is well again. */
    public void clear() {
        armed.clear();
    }

    /** How many operations have failed so far: proof that a fault fired. */
    public int injected() {
        return injected.get();
    }

    private void check(Operation operation) throws IOException {
        Fault fault = armed.get(operation);
        if (fault != null && fault.pass.getAndDecrement() <= 0) {
            injected.incrementAndGet();
            throw fault.error.get();
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel channel = FileChannel.open(file, options);
        // Only a new message is opened with CREATE_NEW (in tmp/); appends open committed files.
        return Set.of(options).contains(StandardOpenOption.CREATE_NEW) ? new Faulty(channel) : channel;
    }

    @Override
    public void moveAtomically(Path source, Path target) throws IOException {
        check(Operation.MOVE);
        SpoolIo.REAL.moveAtomically(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        check(Operation.SYNC_DIRECTORY);
        SpoolIo.REAL.syncDirectory(directory);
    }

    /** A message file's channel: the real one, with write and force faults. */
    private final class Faulty extends FileChannel {
        private final FileChannel real;

        Faulty(FileChannel real) {
            this.real = real;
        }

        private void beforeWrite(ByteBuffer src, long position) throws IOException {
            try {
                check(Operation.WRITE);
            } catch (IOException e) {
                int half = src.remaining() / 2;
                if (half > 0) { // a short write, then the error
                    ByteBuffer part = src.slice(src.position(), half);
                    if (position < 0) {
                        real.write(part);
                    } else {
                        real.write(part, position);
                    }
                }
                throw e;
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            beforeWrite(src, -1);
            return real.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            beforeWrite(src, position);
            return real.write(src, position);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check(Operation.WRITE);
            return real.write(srcs, offset, length);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check(Operation.FORCE);
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check(Operation.WRITE);
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("the spool does not map files");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
