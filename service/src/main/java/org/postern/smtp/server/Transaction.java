package org.postern.smtp.server;

import java.util.ArrayList;
import java.util.List;
import org.postern.header.HeaderCapture;
import org.postern.header.HeaderRules;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.SpoolWriter;

/** One mail transaction: from MAIL FROM to the reply after the content, or RSET. */
final class Transaction {
    final MailAddress sender;
    final BodyType body;
    final boolean smtpUtf8;
    final DsnReturn ret;
    final String envId;
    final List<Recipient> recipients = new ArrayList<>();

    /** Set once BDAT content has started arriving; DATA is then out of sequence. */
    String queueId;
    /** The envelope written to the spool header, once content has started. */
    Envelope envelope;
    int receivedHeaderLength;
    SpoolWriter writer;
    /** The Received: rule and header checks in force when the content started. */
    HeaderRules headers;
    MessageSink sink;
    /** The header block as it streamed to the spool, when header checks are configured; else null. */
    HeaderCapture headerCapture;
    /** RCPTs refused 452 4.5.3 for being past postern.limits.max-recipients. */
    int excessRecipients;
    /** The stored content's header block (Received included) for the delivery queue, kept up to a small limit. */
    HeaderCapture headerCache;
    /** A BDAT chunk failed: later chunks are read and refused until RSET or BDAT LAST. */
    boolean chunkFailed;

    Transaction(MailAddress sender, BodyType body, boolean smtpUtf8, DsnReturn ret, String envId) {
        this.sender = sender;
        this.body = body;
        this.smtpUtf8 = smtpUtf8;
        this.ret = ret;
        this.envId = envId;
    }

    boolean chunking() {
        return queueId != null || chunkFailed;
    }

    /** Drops any partly written content; nothing of it was acknowledged. */
    void abort() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        sink = null;
    }
}
