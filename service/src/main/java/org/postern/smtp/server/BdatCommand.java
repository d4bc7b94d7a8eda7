package org.postern.smtp.server;

import java.io.IOException;
import java.util.Locale;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;

/**
 * BDAT (RFC 3030 CHUNKING): {@code BDAT <size> [LAST]}. The chunk is always read in full, even when
 * it is refused, because its length is the only thing keeping client and server in step.
 */
final class BdatCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        String[] words = argument.strip().split(" +");
        if (words.length < 1 || words.length > 2 || !words[0].matches("\\d{1,18}")
                || (words.length == 2 && !words[1].toUpperCase(Locale.ROOT).equals("LAST"))) {
            // Without a size we cannot tell where the chunk ends: the session cannot go on.
            session.abortWith(Replies.PARAMETER_SYNTAX.withText("BDAT needs a chunk size; closing connection"));
            return;
        }
        long size = Long.parseLong(words[0]);
        boolean last = words.length == 2;
        Transaction tx = session.transaction;
        SmtpReply refusal = tx == null ? Replies.MAIL_FIRST
                : tx.recipients.isEmpty() ? Replies.RCPT_FIRST
                : tx.chunkFailed ? Replies.BDAT_AFTER_FAILED_CHUNK
                : null;
        if (refusal == null && tx.queueId == null) {
            refusal = session.openContent(tx);
            if (refusal != null) {
                tx.chunkFailed = true;
            }
        }
        if (refusal != null) {
            ChunkReader.read(session.input(), size, null);
            if (last && tx != null) {
                tx.abort();
                session.transaction = null;
            }
            session.reply(refusal);
            return;
        }
        ChunkReader.read(session.input(), size, tx.sink);
        if (last) {
            session.reply(session.finishContent(tx));
        } else if (tx.sink.failed()) {
            tx.chunkFailed = true;
            SmtpReply reply = session.finishContent(tx); // aborts the spool file; the transaction is over
            session.transaction = tx;                   // ...but later chunks of it must still be read
            tx.queueId = null;
            session.reply(reply);
        } else {
            session.reply(Replies.OK.withText(size + " octets received"));
        }
    }
}
