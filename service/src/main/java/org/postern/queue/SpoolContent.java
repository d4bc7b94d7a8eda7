package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;
import org.postern.smtp.Mime8to7;
import org.postern.smtp.client.OutboundContent;
import org.postern.spool.Spool;

/** A spooled message's content for the SMTP client, converted to 7 bit on demand (RFC 6152 §3). */
record SpoolContent(Spool spool, String queueId) implements OutboundContent {

    @Override
    public InputStream open() throws IOException {
        return spool.openContent(queueId);
    }

    @Override
    public InputStream openSevenBit() throws IOException {
        return Mime8to7.converting(spool.openContent(queueId));
    }
}
