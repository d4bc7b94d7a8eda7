package org.postern.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One message being written to the spool, from {@link Spool#create}. Call order: write the raw
 * content to {@link #content()}, then either {@link #commit()} (only then may the client get 250)
 * or {@link #abort()}. {@link #close()} without a commit aborts, so try-with-resources is safe.
 * A writer belongs to one session: it is not thread-safe.
 */
public interface SpoolWriter extends Closeable {

    /**
     * The message content, streamed to the temporary file through a buffer; never the whole message
     * in memory. A write error (disk full) is thrown here or from {@link #commit()} and removes the
     * temporary file. Closing this stream does not commit.
     */
    OutputStream content();

    /**
     * Makes the message durable and returns only after the content, the envelope and the directory
     * entry are fsynced. On any failure the message is gone from the spool (nothing was
     * acknowledged) and an IOException is thrown: answer the client with a 4xx.
     */
    SpooledMessage commit() throws IOException;

    /** Discards the message and deletes its temporary file. Idempotent; no effect after commit. */
    void abort();

    /** Same as {@link #abort()} unless committed. */
    @Override
    void close();
}
