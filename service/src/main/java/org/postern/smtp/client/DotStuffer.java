package org.postern.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes message content as DATA (RFC 5321 §4.5.2): every line end becomes CRLF, including a bare
 * CR or bare LF, so a next hop can never read a line end we did not mean (SMTP smuggling); a dot at
 * the start of a line is doubled; a missing final line end is added; then {@code .CRLF}. Streams
 * through fixed buffers, so memory stays bounded whatever the message size. One stuffer serves every
 * transaction of a connection: its buffers are allocated once, not per message.
 */
final class DotStuffer {

    private static final int CHUNK = 16 * 1024;

    private final OutputStream out;
    private final byte[] inBuf = new byte[CHUNK];
    private final byte[] outBuf = new byte[CHUNK * 4 + 8]; // worst case: a CRLF and a stuffed dot for one input byte
    private boolean lineStart = true;
    private boolean pendingCr;
    private long written;

    DotStuffer(OutputStream out) {
        this.out = out;
    }

    /** Whether this stuffer writes to {@code stream} (after STARTTLS the connection has a new one). */
    boolean writesTo(OutputStream stream) {
        return out == stream;
    }

    /** Copies the whole content and the terminating dot line; flushes. Returns the octets written. */
    long transfer(InputStream content) throws IOException {
        lineStart = true;
        pendingCr = false;
        written = 0;
        int n;
        while ((n = content.read(inBuf)) >= 0) {
            if (n > 0) {
                write(inBuf, n);
            }
        }
        int o = 0;
        if (pendingCr || !lineStart) {
            outBuf[o++] = '\r';
            outBuf[o++] = '\n';
        }
        outBuf[o++] = '.';
        outBuf[o++] = '\r';
        outBuf[o++] = '\n';
        out.write(outBuf, 0, o);
        out.flush();
        return written + o;
    }

    private void write(byte[] in, int len) throws IOException {
        int o = 0;
        for (int i = 0; i < len; ) {
            byte b = in[i];
            if (pendingCr) {
                pendingCr = false;
                outBuf[o++] = '\r';
                outBuf[o++] = '\n';
                lineStart = true;
                if (b == '\n') {
                    i++;
                    continue; // CRLF: already written
                }
            }
            if (b == '\r') {
                pendingCr = true; // CRLF or a bare CR: either way a CRLF, decided by the next byte
                i++;
            } else if (b == '\n') {
                outBuf[o++] = '\r'; // bare LF
                outBuf[o++] = '\n';
                lineStart = true;
                i++;
            } else {
                if (b == '.' && lineStart) {
                    outBuf[o++] = '.';
                }
                // The rest of the line up to the next CR or LF goes out as it is, in one copy.
                int end = i + 1;
                while (end < len && in[end] != '\r' && in[end] != '\n') {
                    end++;
                }
                System.arraycopy(in, i, outBuf, o, end - i);
                o += end - i;
                lineStart = false;
                i = end;
            }
        }
        out.write(outBuf, 0, o);
        written += o;
    }
}
