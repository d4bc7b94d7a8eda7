package org.postern.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two durability primitives of the spool. A file's fsync makes its bytes durable; only the fsync
 * of the directory that holds it makes its name durable (a rename or unlink is a directory write).
 * Linux semantics: a directory opened read-only can be fsynced.
 */
final class Fsync {

    private Fsync() {
    }

    static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Positional write of the whole buffer; a short write is retried, so only errors end it early. */
    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Positional read of {@code buf[offset, offset + length)}; a file shorter than that is corrupt. */
    static void readFully(FileChannel ch, byte[] buf, int offset, int length, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, offset, length);
        long pos = position;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos);
            if (n < 0) {
                throw new QuarantineException("truncated: file shrank while being read");
            }
            pos += n;
        }
    }
}
