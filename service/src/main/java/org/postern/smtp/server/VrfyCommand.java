package org.postern.smtp.server;

import java.io.IOException;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;

/**
 * VRFY (RFC 5321 §3.5.3): a relay cannot verify foreign mailboxes, so 252, unless the address
 * routes to a mailer with flag {@code q} (sendmail's "generate 250 responses instead of 252"):
 * then 250 with the address. The argument is a mailbox, with or without angle brackets.
 */
final class VrfyCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        if (argument.isBlank()) {
            session.reply(Replies.VRFY_ARGUMENT_REQUIRED);
            return;
        }
        MailAddress address = mailbox(argument.strip());
        if (address != null && address.isQualified() && session.context.verifier().verifies(address)) {
            // The reply carries the address (RFC 5321 §3.5.1); it was parsed, so it holds no CR or LF.
            session.reply(SmtpReply.of(250, "2.1.5", "<" + address + ">"));
            return;
        }
        session.reply(Replies.VRFY_CANNOT_VERIFY);
    }

    private static MailAddress mailbox(String argument) {
        int open = argument.lastIndexOf('<');
        String text = open >= 0 && argument.endsWith(">") ? argument.substring(open + 1, argument.length() - 1)
                : argument;
        try {
            return MailAddress.parseMailbox(text, true);
        } catch (AddressException e) {
            return null;
        }
    }
}
