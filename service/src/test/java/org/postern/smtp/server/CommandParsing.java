package org.postern.smtp.server;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The session's command parsing opened to tests in other packages (the fuzz targets): the real
 * {@link SmtpInput#readLine} over bytes in memory, the verb split of {@code SmtpSession.dispatch}
 * and {@link EsmtpParameters#parse}. Nothing here parses anything itself.
 */
public final class CommandParsing {

    private CommandParsing() {
    }

    /** One command line as the session reads it: its text, or why it was refused (text null). */
    public record Line(String text, String problem) {
    }

    /** The path and parameters of a MAIL or RCPT argument, or the syntax error's message (path null). */
    public record Arguments(String path, Map<String, String> parameters, String error) {
    }

    /**
     * Reads {@code bytes} with {@link SmtpInput#readLine}, as a session with that line limit and
     * bare-line-ending setting would, once per LF in them: every line ends at an LF, so a reader
     * in step with the client returns exactly that many (an unterminated tail is the client going
     * away mid-command). A reader out of step throws {@link EOFException}.
     */
    public static List<Line> readLines(byte[] bytes, int maxLength, boolean normalize) throws IOException {
        SmtpInput input = new SmtpInput(SOCKET, new ByteArrayInputStream(bytes),
                new SmtpOutput(OutputStream.nullOutputStream()), 60_000);
        input.startCommandClock(60_000);
        int lineEnds = 0;
        for (byte b : bytes) {
            lineEnds += b == '\n' ? 1 : 0;
        }
        List<Line> lines = new ArrayList<>(lineEnds);
        for (int i = 0; i < lineEnds; i++) {
            String text = input.readLine(maxLength, normalize);
            lines.add(new Line(text, text == null ? input.lastProblem().name() : null));
        }
        return lines;
    }

    /** The verb as the session looks it up: up to the first space, upper-cased. */
    public static String verb(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** The argument handed to the verb's command: after the first space; empty when there is none. */
    public static String argument(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }

    /** Whether the session has a command for {@code verb} (otherwise it answers 500). */
    public static boolean isKnownVerb(String verb) {
        return Commands.get(verb) != null;
    }

    /** {@link EsmtpParameters#parse} with {@code FROM:} or {@code TO:}; a syntax error is returned, not thrown. */
    public static Arguments parseArguments(String argument, String prefix) {
        try {
            EsmtpParameters p = EsmtpParameters.parse(argument, prefix);
            return new Arguments(p.path(), p.parameters(), null);
        } catch (EsmtpParameters.SyntaxException e) {
            return new Arguments(null, null, e.getMessage());
        }
    }

    private static final Socket SOCKET = new MemorySocket();

    /** A socket that is never connected: {@link SmtpInput} only sets its read timeout. */
    private static final class MemorySocket extends Socket {
        @Override
        public void setSoTimeout(int timeout) {
            // reads come from memory and never block
        }
    }
}
