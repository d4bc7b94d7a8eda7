package org.postern.smtp.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;

/**
 * The package-private hot paths of the SMTP server, opened to the JMH benchmarks in
 * {@code org.postern.jmh} (test scope only): reading and dispatching command lines, and reading DATA
 * content with its smuggling checks, from bytes in memory instead of a socket.
 */
public final class JmhAccess {

    private static final long NO_TIMEOUT_MILLIS = 3_600_000;
    /**
     * Never connected: SmtpInput only sets its read timeout, and the bytes come from memory. One for
     * all, since setting a timeout on a fresh socket opens a file descriptor.
     */
    private static final Socket UNCONNECTED = new Socket();

    private JmhAccess() {
    }

    /**
     * Reads every command line of {@code wire} as a session does (line length limit, bare line endings
     * refused), looks its verb up and parses MAIL and RCPT arguments with their addresses.
     *
     * @return how many lines were parsed, plus their parameter count (for the benchmark's blackhole)
     */
    public static int parseCommands(byte[] wire, int lines) throws IOException, AddressException {
        SmtpInput in = input(wire);
        int result = 0;
        for (int i = 0; i < lines; i++) {
            String line = in.readLine(512, false);
            int space = line.indexOf(' ');
            String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String argument = space < 0 ? "" : line.substring(space + 1);
            if (Commands.get(verb) == null) {
                throw new IllegalArgumentException("unknown verb " + verb);
            }
            String prefix = switch (verb) {
                case "MAIL" -> "FROM:";
                case "RCPT" -> "TO:";
                default -> null;
            };
            if (prefix != null) {
                try {
                    EsmtpParameters p = EsmtpParameters.parse(argument, prefix);
                    MailAddress address = p.address(false);
                    result += p.parameters().size() + address.localPart().length();
                } catch (EsmtpParameters.SyntaxException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
            result++;
        }
        return result;
    }

    /**
     * Reads DATA content up to the end-of-data line, unstuffing dots and checking for bare CR and LF,
     * into a sink that discards it (limits as a session sets them).
     *
     * @return the number of content octets the sink kept, or -1 when reading stopped at a bare line ending
     */
    public static long readData(byte[] wire, boolean normalize) throws IOException {
        SmtpInput in = input(wire);
        CountingStream store = new CountingStream();
        MessageSink sink = new MessageSink(store, Long.MAX_VALUE, 998, normalize);
        DotTerminatedReader.End end = DotTerminatedReader.read(in, sink, normalize);
        return end == DotTerminatedReader.End.END_OF_DATA ? store.count : -1;
    }

    private static SmtpInput input(byte[] wire) {
        SmtpInput in = new SmtpInput(UNCONNECTED, new ByteArrayInputStream(wire),
                new SmtpOutput(OutputStream.nullOutputStream()), NO_TIMEOUT_MILLIS);
        in.startCommandClock(NO_TIMEOUT_MILLIS);
        return in;
    }

    /** Counts what the sink stores. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
