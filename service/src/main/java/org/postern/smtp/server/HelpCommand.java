package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;

/** HELP (RFC 5321 §4.1.1.8): lists the commands. */
final class HelpCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        session.reply(Replies.HELP);
    }
}
