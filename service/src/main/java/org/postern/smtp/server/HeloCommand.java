package org.postern.smtp.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postern.config.DaemonModifiers;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;

/** EHLO and HELO (RFC 5321 §4.1.1.1): greets, resets any transaction, and lists the extensions. */
final class HeloCommand implements Command {
    private final boolean extended;

    HeloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        String name = argument.strip();
        int space = name.indexOf(' ');
        if (space > 0) {
            name = name.substring(0, space); // some clients add a comment after the name
        }
        if (name.isEmpty() || !printableAscii(name)) {
            session.reply(Replies.HELO_ARGUMENT_REQUIRED);
            return;
        }
        if (session.daemonPort.has(DaemonModifiers.REQUIRE_FQDN) && !qualified(name)) {
            session.reply(Replies.HELO_NOT_QUALIFIED);
            return;
        }
        if (session.transaction != null) {
            session.transaction.abort();
            session.transaction = null;
        }
        session.heloName = name;
        session.esmtp = extended;
        session.enhancedStatusCodes(extended);
        String greeting = session.settings.hostname() + " greets " + name;
        if (!extended) {
            session.reply(SmtpReply.of(250, null, greeting));
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(greeting);
        lines.add("PIPELINING");
        lines.add("SIZE " + session.settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        lines.add("DSN");
        if (session.startTlsOffered()) {
            lines.add("STARTTLS");
        }
        if (session.authOffered() && session.authenticatedAs == null) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.add("HELP");
        session.reply(new SmtpReply(250, null, lines));
    }

    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c > 32 && c < 127);
    }

    private static boolean qualified(String name) {
        return (name.startsWith("[") && name.endsWith("]")) || (name.indexOf('.') > 0 && !name.endsWith("."));
    }
}
