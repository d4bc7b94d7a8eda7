package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;

/** DATA (RFC 5321 §4.1.1.4): content up to CRLF "." CRLF, streamed into the spool. */
final class DataCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        Transaction tx = session.transaction;
        if (!argument.isEmpty()) {
            session.reply(Replies.NO_ARGUMENTS);
            return;
        }
        if (tx == null) {
            session.reply(Replies.MAIL_FIRST);
            return;
        }
        if (tx.chunking()) {
            session.reply(Replies.BAD_SEQUENCE);
            return;
        }
        if (tx.recipients.isEmpty()) {
            session.reply(Replies.RCPT_FIRST);
            return;
        }
        SmtpReply failure = session.openContent(tx);
        if (failure != null) {
            session.reply(failure);
            return;
        }
        session.reply(Replies.START_MAIL_INPUT);
        DotTerminatedReader.End end = DotTerminatedReader.read(session.input(), tx.sink, session.settings.normalize());
        if (end == DotTerminatedReader.End.BARE_LINE_ENDING) {
            tx.abort();
            session.transaction = null;
            session.abortWith(Replies.BARE_LINE_ENDING_IN_DATA);
            return;
        }
        session.reply(session.finishContent(tx));
    }
}
