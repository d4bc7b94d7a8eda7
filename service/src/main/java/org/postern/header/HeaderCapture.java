package org.postern.header;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Keeps a copy of a message's header block as the content streams past on its way to the spool,
 * so header checks can run before the commit without reading the spool file back. Stops copying
 * at the end of the block; a block larger than the limit is marked {@linkplain #overflowed()
 * overflowed} and nothing more is kept. Memory is at most the limit.
 */
public final class HeaderCapture extends OutputStream {
    private final int limit;
    private byte[] buf = new byte[1024];
    private int size;
    /** Start of the first line not yet classified. */
    private int scan;
    private boolean inField;
    /** Offset where the block ended, or -1 while it goes on. */
    private int end = -1;
    private boolean overflow;

    public HeaderCapture(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (done() || len <= 0) {
            return;
        }
        int room = limit - size;
        int take = Math.min(len, room);
        if (size + take > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(limit, Math.max(buf.length * 2, size + take)));
        }
        System.arraycopy(b, off, buf, size, take);
        size += take;
        scanLines();
        if (end < 0 && (take < len || size == limit)) {
            overflow = true;
        }
    }

    /**
     * A stream that writes to {@code store} and keeps a copy here: the content's way to the spool.
     * The copy is taken after the store accepted the bytes, and never fails.
     */
    public OutputStream teeTo(OutputStream store) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                store.write(b);
                HeaderCapture.this.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                store.write(b, off, len);
                HeaderCapture.this.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                store.flush();
            }

            @Override
            public void close() throws IOException {
                store.close();
            }
        };
    }

    /** Whether more bytes would change nothing: the block ended, or it overflowed. */
    public boolean done() {
        return end >= 0 || overflow;
    }

    public boolean overflowed() {
        return overflow;
    }

    /**
     * The octets of the header block, without the line that ended it, once that line has been seen;
     * null while the block goes on, or after an overflow. Followed by an empty line, they read as the
     * same {@link HeaderBlock} as the content they came from: the delivery queue keeps them so as not
     * to read the spool file back for header rules.
     */
    public byte[] completeBlock() {
        return end >= 0 && !overflow ? Arrays.copyOf(buf, end) : null;
    }

    private void scanLines() {
        while (end < 0) {
            int eol = scan;
            while (eol < size && buf[eol] != '\n') {
                eol++;
            }
            if (eol >= size) {
                return; // the line is not complete yet
            }
            if (!classify(scan, eol)) {
                return;
            }
            scan = eol + 1;
        }
    }

    /** Classifies the line {@code [from, to)}; false when it ended the block. */
    private boolean classify(int from, int to) {
        HeaderBlock.Line line = HeaderBlock.classify(buf, from, to, inField);
        if (line == HeaderBlock.Line.END) {
            end = from;
            return false;
        }
        inField = true;
        return true;
    }

    /**
     * The header block seen so far, taking the content to have ended here (a last line without a
     * line break still counts). {@link HeaderBlock#complete() Incomplete} after an overflow.
     */
    public HeaderBlock block() {
        if (overflow) {
            return HeaderBlock.incomplete();
        }
        int blockEnd = end;
        if (blockEnd < 0) {
            blockEnd = scan < size && classify(scan, size) ? size : scan;
            end = -1; // classify() may have set it; the capture itself is not finished
        }
        return blockEnd == 0 ? HeaderBlock.EMPTY : HeaderBlock.parse(buf, blockEnd);
    }
}
