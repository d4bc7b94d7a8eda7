package org.postern.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import org.postern.smtp.Mime8to7;

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

    /**
     * As {@link #openSevenBit()}, with a mailer's conversion options (sendmail's {@code C=} and
     * flag {@code 3}): the content as {@link #open()} gives it, converted.
     */
    default InputStream openSevenBit(Mime8to7.Options options) throws IOException {
        if (options.equals(Mime8to7.Options.DEFAULT)) {
            return openSevenBit();
        }
        return Mime8to7.converting(open(), null, options);
    }
}
