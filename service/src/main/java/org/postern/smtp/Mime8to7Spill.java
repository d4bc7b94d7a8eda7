package org.postern.smtp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A write-once, read-back byte buffer that keeps its first bytes on the heap and moves everything to
 * a temporary file once it outgrows that, so looking ahead over a MIME part (or holding a returned
 * message for a DSN) costs bounded memory whatever the size. Not thread-safe; close it to delete
 * the file.
 */
public final class Mime8to7Spill extends OutputStream {

    /** Heap kept before spilling: a typical text part fits, an attachment does not. */
    public static final int DEFAULT_MEMORY_LIMIT = 64 * 1024;

    private final Path directory;
    private final int memoryLimit;
    private byte[] memory = new byte[1024];
    private int memoryLength;
    private Path file;
    private OutputStream fileOut;
    private long size;
    private boolean closed;

    /**
     * @param directory   where the temporary file goes if one is needed; null for {@code java.io.tmpdir}
     * @param memoryLimit bytes held on the heap before spilling
     */
    public Mime8to7Spill(Path directory, int memoryLimit) {
        this.directory = directory;
        this.memoryLimit = memoryLimit;
    }

    public Mime8to7Spill(Path directory) {
        this(directory, DEFAULT_MEMORY_LIMIT);
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Whether the bytes went to a temporary file. */
    public boolean spilled() {
        return file != null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("spill buffer closed");
        }
        if (fileOut == null && memoryLength + len <= memoryLimit) {
            if (memoryLength + len > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(memoryLimit, Math.max(memory.length * 2, memoryLength + len)));
            }
            System.arraycopy(b, off, memory, memoryLength, len);
            memoryLength += len;
        } else {
            if (fileOut == null) {
                file = directory == null ? Files.createTempFile("postern-", ".spill")
                        : Files.createTempFile(directory, "postern-", ".spill");
                fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                fileOut.write(memory, 0, memoryLength);
                memory = null;
            }
            fileOut.write(b, off, len);
        }
        size += len;
    }

    /**
     * A stream over everything written so far; write no more afterwards. Closing the stream does
     * not delete the buffer: close this buffer for that.
     */
    public InputStream openInputStream() throws IOException {
        if (fileOut == null) {
            return new ByteArrayInputStream(memory, 0, memoryLength);
        }
        fileOut.flush();
        return Files.newInputStream(file);
    }

    /** A stream over everything written that deletes this buffer when it is closed. */
    public InputStream toInputStream() throws IOException {
        return new FilterInputStream(openInputStream()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Mime8to7Spill.this.close();
                }
            }
        };
    }

    /** Deletes the temporary file, if any. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        memory = null;
        if (fileOut != null) {
            try {
                fileOut.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
