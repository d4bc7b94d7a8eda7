package org.postern.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A connected TCP socket pair on 127.0.0.1, for driving the real {@link SmtpInput} (which needs a
 * socket for its timeouts): tests write as the client and read through the server side.
 */
final class LoopbackPair implements AutoCloseable {
    final Socket client;
    final Socket server;
    /** What the server side wrote back (replies flushed by {@link SmtpInput} before it blocks). */
    final ByteArrayOutputStream replies = new ByteArrayOutputStream();

    private LoopbackPair(Socket client, Socket server) {
        this.client = client;
        this.server = server;
    }

    static LoopbackPair open() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Socket client = new Socket();
            client.setTcpNoDelay(true);
            client.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 5000);
            Socket server = listener.accept();
            return new LoopbackPair(client, server);
        }
    }

    /** The server side's input, every read delivering at most {@code maxRead} bytes (0: no cap). */
    SmtpInput input(int maxRead) throws IOException {
        InputStream in = server.getInputStream();
        if (maxRead > 0) {
            in = new Trickle(in, maxRead);
        }
        SmtpInput input = new SmtpInput(server, in, new SmtpOutput(replies), 10_000);
        input.startCommandClock(30_000);
        return input;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Writes one byte per TCP segment, so the reader sees the data in as many reads as the network gives. */
    void sendByteByByte(String text) throws IOException {
        OutputStream out = client.getOutputStream();
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try (client; server) {
            // both closed
        }
    }

    /** Caps the bytes each read returns, so every split of the stream into reads can be tested exactly. */
    private static final class Trickle extends FilterInputStream {
        private final int maxRead;

        Trickle(InputStream in, int maxRead) {
            super(in);
            this.maxRead = maxRead;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, maxRead));
        }
    }
}
