package org.postern.smtp.server;

import org.postern.smtp.Envelope;

/**
 * Told about each message right after its spool commit and before the 250 goes out, so the queue
 * can start delivering without reading the spool back. Must not block: the client is waiting.
 */
@FunctionalInterface
public interface MessageAcceptedListener {

    MessageAcceptedListener NONE = (envelope, contentLength) -> { };

    /**
     * @param envelope      the committed message's envelope
     * @param contentLength the stored content's length in octets (Received header included)
     */
    void accepted(Envelope envelope, long contentLength);

    /**
     * As {@link #accepted(Envelope, long)}, with the stored content's header block when the session
     * kept it: its octets from the start of the content (the Received field included) up to, not
     * including, the line that ended it, so delivery can edit headers without reading the spool.
     *
     * @param headerBlock null when the block was larger than the session keeps
     */
    default void accepted(Envelope envelope, long contentLength, byte[] headerBlock) {
        accepted(envelope, contentLength);
    }
}
