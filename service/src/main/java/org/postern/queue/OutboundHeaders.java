package org.postern.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.postern.header.HeaderEditor;
import org.postern.header.HeaderRules;
import org.postern.macro.MacroValues;
import org.postern.macro.Macros;
import org.postern.macro.StandardMacros;
import org.postern.smtp.Envelope;
import org.postern.smtp.Recipient;
import org.postern.smtp.client.OutboundContent;
import org.postern.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The header editing of one outbound transaction: the macros of the delivery (from the envelope,
 * the destination and the open connection, over the listener's and the configuration's) and the
 * {@link HeaderEditor}'s stages, applied to the spooled content. The spool file is never
 * changed: each delivery gets its own header, as sendmail writes headers per mailer.
 */
final class OutboundHeaders {
    private static final Logger log = LoggerFactory.getLogger(OutboundHeaders.class);

    /** Sends every message as spooled. */
    static final OutboundHeaders NONE = new OutboundHeaders(HeaderEditor.NONE, Macros.EMPTY, Map.of(),
            ZoneId.systemDefault());

    private final HeaderEditor editor;
    private final MacroValues config;
    private final Map<String, Macros> listeners;
    private final ZoneId zone;

    /**
     * @param editor    the stages to apply (header rules first, then any others)
     * @param config    the configuration's macros ($j, $v, postern.macros)
     * @param listeners listener name → its ${daemon_*} macros
     * @param zone      the zone of dates in headers
     */
    OutboundHeaders(HeaderEditor editor, MacroValues config, Map<String, Macros> listeners, ZoneId zone) {
        this.editor = editor;
        this.config = config;
        this.listeners = Map.copyOf(listeners);
        this.zone = zone;
    }

    static OutboundHeaders of(HeaderRules rules) {
        return new OutboundHeaders(rules.editor(), rules.configMacros(), rules.listenerMacros(), ZoneId.systemDefault());
    }

    /** Content and size for the SIZE parameter. */
    record Prepared(OutboundContent content, long size) {
    }

    Prepared prepare(Spool spool, QueuedMessage message, Destination destination, List<Integer> batch,
            PooledSession session) {
        SpoolContent spooled = new SpoolContent(spool, message.queueId());
        if (editor.stages().isEmpty()) {
            return new Prepared(spooled, message.contentLength);
        }
        try {
            // The header block the session kept spares opening and parsing the spool file once more.
            byte[] kept = message.headerBlock;
            HeaderEditor.Content source = kept == null ? spooled::open : () -> headerOnly(kept);
            HeaderEditor.Edit edit = editor.edit(source,
                    new HeaderEditor.Context(destination.mailer(), macros(message, destination, batch, session)));
            if (edit == null) {
                return new Prepared(spooled, message.contentLength);
            }
            return new Prepared(new EditedContent(spooled, edit),
                    message.contentLength - edit.replaces() + edit.header().length);
        } catch (IOException e) {
            // Sending reads the same file and meets the same problem, and handles it there.
            log.debug("{}: header not edited: {}", message.queueId(), e.toString());
            return new Prepared(spooled, message.contentLength);
        }
    }

    /** A kept header block followed by the empty line that ends it: reads as the same block as the content. */
    private static InputStream headerOnly(byte[] block) {
        byte[] withEnd = java.util.Arrays.copyOf(block, block.length + 2);
        withEnd[block.length] = '\r';
        withEnd[block.length + 1] = '\n';
        return new ByteArrayInputStream(withEnd);
    }

    /** The macros of this delivery; {@code session} is the open connection (for ${client_flags}). */
    MacroValues macros(QueuedMessage message, Destination destination, List<Integer> batch, PooledSession session) {
        Envelope e = message.envelope;
        Macros.Builder b = Macros.builder();
        StandardMacros.envelope(b, e);
        // sendmail sets these when it creates the envelope: every copy of the message gets the same.
        StandardMacros.time(b, e.arrival(), zone);
        b.put("a", StandardMacros.rfc5322(e.arrival(), zone)); // when the message has no Date: (otherwise the header's wins)
        b.put("h", destination.nextHopName())
                .put("rcpt_host", destination.nextHopName())
                .put("rcpt_mailer", destination.mailer().name())
                .put("msg_size", Long.toString(message.contentLength))
                .put("ntries", Integer.toString(message.schedule.attempts() + 1));
        if (batch.size() == 1) {
            Recipient r = e.recipients().get(batch.get(0));
            b.put("u", r.address().toString())
                    .put("rcpt_addr", r.address().toString())
                    .put("dsn_notify", StandardMacros.notify(r.dsnNotify()));
        }
        if (session != null) {
            b.put("client_flags", StandardMacros.flags(session.clientFlags))
                    .put("server_name", session.remoteMta)
                    .put("server_addr", session.serverAddress);
        }
        // Messages Postern makes itself (DSNs) came in on no listener.
        Macros listener = e.listener() == null ? Macros.EMPTY : listeners.getOrDefault(e.listener(), Macros.EMPTY);
        return b.build().or(listener).or(config);
    }
}
