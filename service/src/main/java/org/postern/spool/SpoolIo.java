package org.postern.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file operations "250 means durable" rests on, in one place: opening the files the spool
 * writes (whose channel then does the writes and the file fsync), the atomic rename into
 * {@code queue/}, and the group-committed fsync of {@code queue/}. It exists as a seam for
 * fault-injection tests, which fail any of them on demand to prove that a failure is a 4xx and
 * never a 250 or a partial message. Production always uses {@link #REAL}: exactly the NIO calls the
 * spool made before the seam existed.
 */
interface SpoolIo {

    /** Plain NIO. */
    SpoolIo REAL = new SpoolIo() {
        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return FileChannel.open(file, options);
        }

        @Override
        public void moveAtomically(Path source, Path target) throws IOException {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            Fsync.directory(directory);
        }
    };

    /** Opens a file the spool writes: a new message in {@code tmp/}, or a committed one to append a record. */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Renames {@code source} to {@code target} atomically (the commit of a message). */
    void moveAtomically(Path source, Path target) throws IOException;

    /** Makes the names in {@code directory} durable (see {@link Fsync#directory}). */
    void syncDirectory(Path directory) throws IOException;
}
