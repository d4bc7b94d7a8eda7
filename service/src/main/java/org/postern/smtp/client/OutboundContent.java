package org.postern.smtp.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message content (headers and body, as spooled) for one transaction. The client reads it once
 * per attempt, streaming, and applies dot-stuffing and CRLF normalisation itself.
 */
public interface OutboundContent {

    /** The content as spooled. */
    InputStream open() throws IOException;

    /**
     * The content converted to 7 bit (RFC 6152 §3 downgrade), used when the message is 8BITMIME
     * and the next hop does not offer 8BITMIME.
     */
    InputStream openSevenBit() throws IOException;
}
