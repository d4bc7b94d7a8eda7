package org.postern.rewriting;

import java.io.IOException;
import java.io.InputStream;
import org.postern.smtp.Mime8to7;
import org.postern.smtp.client.OutboundContent;

/**
 * A message's content as a mailer with header rule sets sends it: the address headers rewritten,
 * the rest as spooled. The 7-bit downgrade, when the next hop needs one, converts the rewritten
 * content, so the rewriting sees the addresses as they were received.
 */
public record RewrittenContent(OutboundContent spooled, HeaderRewriter headers) implements OutboundContent {

    @Override
    public InputStream open() throws IOException {
        InputStream in = spooled.open();
        try {
            return headers.filter(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public InputStream openSevenBit() throws IOException {
        return Mime8to7.converting(open());
    }
}
