package org.postern.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reading from the client with the session's limits: line length, strict CRLF, the idle
 * timeout (per read) and the command deadline (per command). Before it blocks for more bytes it
 * flushes pending replies, which is what makes PIPELINING work: replies to a pipelined batch go
 * out together once the batch is consumed.
 */
final class SmtpInput {

    /** Why a command line could not be read; the line has been consumed up to its LF. */
    enum LineProblem { NONE, TOO_LONG, BARE_LINE_ENDING, INVALID_UTF8 }

    private final Socket socket;
    private final InputStream in;
    private final SmtpOutput output;
    private final long idleMillis;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private long deadlineNanos = Long.MAX_VALUE;
    private LineProblem lastProblem = LineProblem.NONE;

    SmtpInput(Socket socket, InputStream in, SmtpOutput output, long idleMillis) {
        this.socket = socket;
        this.in = in;
        this.output = output;
        this.idleMillis = idleMillis;
    }

    /** Starts the clock for one command and its payload. */
    void startCommandClock(long commandMillis) {
        deadlineNanos = System.nanoTime() + commandMillis * 1_000_000L;
    }

    /** Bytes received but not yet consumed: after STARTTLS they must be thrown away. */
    int buffered() {
        return limit - pos;
    }

    void discardBuffered() {
        pos = limit;
    }

    LineProblem lastProblem() {
        return lastProblem;
    }

    /**
     * Reads one command line without its line ending. On a problem returns null and sets
     * {@link #lastProblem()}; the offending line is consumed so the session stays in step.
     *
     * @param normalize accept a bare LF as a line ending (bare-line-endings=normalize)
     */
    String readLine(int maxLength, boolean normalize) throws IOException {
        lastProblem = LineProblem.NONE;
        byte[] line = new byte[Math.min(maxLength, 512)];
        int len = 0;
        boolean tooLong = false;
        boolean bare = false;
        while (true) {
            int b = read();
            if (b == '\n') {
                if (!normalize) {
                    bare = true;
                }
                break;
            }
            if (b == '\r') {
                if (peek() == '\n') {
                    pos++;
                    break;
                }
                bare = true;
                continue;
            }
            if (len >= maxLength) {
                tooLong = true;
                continue; // keep consuming up to the line end, storing nothing
            }
            if (len == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(maxLength, len * 2));
            }
            line[len++] = (byte) b;
        }
        if (bare && !normalize) {
            lastProblem = LineProblem.BARE_LINE_ENDING;
            return null;
        }
        if (tooLong) {
            lastProblem = LineProblem.TOO_LONG;
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, len));
            String text = chars.toString();
            if (text.indexOf('\0') >= 0) {
                lastProblem = LineProblem.INVALID_UTF8;
                return null;
            }
            return text;
        } catch (CharacterCodingException e) {
            lastProblem = LineProblem.INVALID_UTF8;
            return null;
        }
    }

    /** The next byte; EOFException when the client has gone. */
    int read() throws IOException {
        if (pos == limit && fill() < 0) {
            throw new EOFException("client closed the connection");
        }
        return buf[pos++] & 0xff;
    }

    /** The next byte without consuming it. */
    int peek() throws IOException {
        if (pos == limit && fill() < 0) {
            throw new EOFException("client closed the connection");
        }
        return buf[pos] & 0xff;
    }

    /** Direct access to buffered bytes for the content readers: at least one byte is available after this. */
    void require() throws IOException {
        if (pos == limit && fill() < 0) {
            throw new EOFException("client closed the connection");
        }
    }

    byte[] buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    int limit() {
        return limit;
    }

    void advance(int to) {
        pos = to;
    }

    private int fill() throws IOException {
        output.flush(); // pipelining: answer what was consumed before waiting for more
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
            throw new SessionTimeoutException("command timeout");
        }
        boolean idleBound = idleMillis <= remainingMillis;
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(idleMillis, remainingMillis))));
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (SocketTimeoutException e) {
            throw new SessionTimeoutException(idleBound ? "idle timeout" : "command timeout");
        }
        if (n < 0) {
            return -1;
        }
        pos = 0;
        limit = n;
        return n;
    }
}
