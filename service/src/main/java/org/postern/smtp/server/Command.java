package org.postern.smtp.server;

import java.io.IOException;

/** One SMTP verb. A command reads what it needs from the session and sends its own reply. */
interface Command {
    /**
     * @param argument the text after the verb and one space; empty when there is none
     */
    void execute(SmtpSession session, String argument) throws IOException;
}
