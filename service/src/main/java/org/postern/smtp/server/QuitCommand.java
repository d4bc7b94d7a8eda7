package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;

/** QUIT (RFC 5321 §4.1.1.10): 221, then close. */
final class QuitCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        session.closeWith(Replies.CLOSING);
    }
}
