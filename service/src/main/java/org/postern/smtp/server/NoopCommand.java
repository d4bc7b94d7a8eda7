package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;

/** NOOP (RFC 5321 §4.1.1.9): any argument is ignored. */
final class NoopCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        session.reply(Replies.NOOP_OK);
    }
}
