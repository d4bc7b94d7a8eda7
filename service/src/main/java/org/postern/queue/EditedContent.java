package org.postern.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.postern.header.HeaderEditor;
import org.postern.smtp.Mime8to7;
import org.postern.smtp.client.OutboundContent;

/**
 * Spooled content with its header block edited for one delivery: the edited block, then the
 * original content after the original block, streamed from the spool as it is. The 8→7 bit
 * downgrade converts the edited message, so added headers are downgraded like the others.
 */
record EditedContent(OutboundContent original, HeaderEditor.Edit edit) implements OutboundContent {

    @Override
    public InputStream open() throws IOException {
        InputStream rest = original.open();
        try {
            rest.skipNBytes(edit.replaces()); // read, not seeked: the spool's CRC check covers every byte
        } catch (IOException | RuntimeException e) {
            rest.close();
            throw e;
        }
        return new SequenceInputStream(new ByteArrayInputStream(edit.header()), rest);
    }

    @Override
    public InputStream openSevenBit() throws IOException {
        return Mime8to7.converting(open());
    }
}
