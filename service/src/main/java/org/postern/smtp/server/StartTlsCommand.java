package org.postern.smtp.server;

import java.io.IOException;
import javax.net.ssl.SSLException;
import org.postern.smtp.Replies;

/**
 * STARTTLS (RFC 3207). Anything the client pipelined after the command is thrown away unread
 * before the handshake, so plain-text commands cannot be injected into the TLS session
 * (CVE-2011-0411).
 */
final class StartTlsCommand implements Command {
    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        if (session.tlsActive()) {
            session.reply(Replies.ALREADY_TLS);
            return;
        }
        if (!session.startTlsOffered()) {
            session.reply(Replies.NOT_IMPLEMENTED);
            return;
        }
        if (!argument.isEmpty()) {
            session.reply(Replies.NO_ARGUMENTS);
            return;
        }
        if (session.heloName == null || !session.esmtp) {
            session.reply(Replies.HELO_FIRST.withText("Send EHLO first"));
            return;
        }
        session.reply(Replies.START_TLS);
        try {
            session.upgradeToTls();
        } catch (SSLException e) {
            // A failed handshake leaves no usable channel for a reply.
            session.close();
        }
    }
}
