package org.postern.smtp.server;

import java.io.IOException;

/**
 * Reads DATA content up to the end-of-data line, removing dot-stuffing (RFC 5321 §4.5.2).
 * Only CRLF "." CRLF ends the content. A bare LF or bare CR anywhere is either a reason to stop at
 * once (REJECT: the session cannot know where the client thinks the message ends, so it must not
 * read on and risk treating smuggled text as commands) or passed to the sink to be normalised.
 */
final class DotTerminatedReader {

    /** How reading stopped. */
    enum End { END_OF_DATA, BARE_LINE_ENDING }

    private DotTerminatedReader() {
    }

    static End read(SmtpInput in, MessageSink sink, boolean normalize) throws IOException {
        boolean lineStart = true;      // just after a real CRLF (or at the start of DATA)
        while (true) {
            if (lineStart) {
                lineStart = false;
                if (in.peek() == '.') {
                    in.read();
                    int next = in.peek();
                    if (next == '\r') {
                        in.read();
                        if (in.peek() == '\n') {
                            in.read();
                            sink.finish();
                            return End.END_OF_DATA;
                        }
                        if (!normalize) {
                            return End.BARE_LINE_ENDING;
                        }
                        sink.write(CR, 0, 1); // "." CR x: the dot was stuffing; the CR is bare
                        continue;
                    }
                    if (next == '\n' && !normalize) {
                        return End.BARE_LINE_ENDING;
                    }
                    // otherwise the leading dot was stuffing: drop it and read the line on
                }
            }
            in.require();
            byte[] buf = in.buffer();
            int start = in.position();
            int end = in.limit();
            int i = start;
            int lines = start; // just past the last CRLF found
            while (true) {
                while (i < end && buf[i] != '\r' && buf[i] != '\n') {
                    i++;
                }
                if (i + 1 < end && buf[i] == '\r' && buf[i + 1] == '\n') {
                    i += 2;
                    lines = i;
                    if (i < end && buf[i] != '.') {
                        continue; // the next line starts with no dot: it joins this write
                    }
                }
                break;
            }
            if (lines > start) {
                // Whole lines with their CRLFs in one write: a call per line cost 100 KB mail more
                // than the scan. The line after them starts with a dot, or is not in the buffer yet.
                sink.write(buf, start, lines - start);
                in.advance(lines);
                lineStart = true;
                continue;
            }
            sink.write(buf, start, i - start);
            in.advance(i);
            if (i == end) {
                continue;
            }
            int c = in.read();
            if (c == '\r') {
                if (in.peek() == '\n') {
                    in.read();
                    sink.write(CRLF, 0, 2);
                    lineStart = true;
                    continue;
                }
                if (!normalize) {
                    return End.BARE_LINE_ENDING;
                }
                sink.write(CR, 0, 1);
            } else {
                if (!normalize) {
                    return End.BARE_LINE_ENDING;
                }
                sink.write(LF, 0, 1);
            }
        }
    }

    private static final byte[] CR = {'\r'};
    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};
}
