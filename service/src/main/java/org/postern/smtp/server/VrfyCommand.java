package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.Replies;

/** VRFY (RFC 5321 §3.5.3): a relay cannot verify foreign mailboxes, so always 252. */
final class VrfyCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        session.reply(argument.isBlank() ? Replies.VRFY_ARGUMENT_REQUIRED : Replies.VRFY_CANNOT_VERIFY);
    }
}
