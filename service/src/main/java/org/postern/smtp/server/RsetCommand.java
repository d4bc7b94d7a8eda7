package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;

/** RSET (RFC 5321 §4.1.1.5): abandons the transaction, keeps the greeting. */
final class RsetCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        if (!argument.isEmpty()) {
            session.reply(Replies.NO_ARGUMENTS);
            return;
        }
        if (session.transaction != null) {
            session.transaction.abort();
            session.transaction = null;
        }
        session.reply(Replies.RESET_OK);
    }
}
