package org.postern.smtp.server;

import java.util.Map;
import java.util.Set;
import org.postern.smtp.Replies;

/** The verbs Postern answers, and the one class that answers each. */
final class Commands {
    private static final Command NOT_IMPLEMENTED = (session, argument) -> session.reply(Replies.NOT_IMPLEMENTED);

    private static final Map<String, Command> BY_VERB = Map.ofEntries(
            Map.entry("EHLO", new HeloCommand(true)),
            Map.entry("HELO", new HeloCommand(false)),
            Map.entry("MAIL", new MailCommand()),
            Map.entry("RCPT", new RcptCommand()),
            Map.entry("DATA", new DataCommand()),
            Map.entry("BDAT", new BdatCommand()),
            Map.entry("RSET", new RsetCommand()),
            Map.entry("NOOP", new NoopCommand()),
            Map.entry("QUIT", new QuitCommand()),
            Map.entry("VRFY", new VrfyCommand()),
            Map.entry("HELP", new HelpCommand()),
            Map.entry("STARTTLS", new StartTlsCommand()),
            Map.entry("AUTH", new AuthCommand()),
            // Known verbs Postern deliberately does not offer: 502 rather than 500.
            Map.entry("EXPN", NOT_IMPLEMENTED),
            Map.entry("ETRN", NOT_IMPLEMENTED),
            Map.entry("TURN", NOT_IMPLEMENTED),
            Map.entry("ATRN", NOT_IMPLEMENTED));

    /** Verbs that never fail and move nothing forward: a session may send only so many (max-junk-commands). */
    private static final Set<String> JUNK = Set.of("NOOP", "RSET", "VRFY", "HELP");

    private Commands() {
    }

    static boolean isJunk(String verb) {
        return JUNK.contains(verb);
    }

    static Command get(String verb) {
        return BY_VERB.get(verb);
    }
}
