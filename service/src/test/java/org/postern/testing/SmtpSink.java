package org.postern.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Postfix's {@code smtp-sink} as a real SMTP receiver on a loopback port, dumping each message to
 * a file ({@code -d}): the dump starts with smtp-sink's own {@code X-Mail-Args}/{@code X-Rcpt-Args}
 * envelope lines, then its Received header and the message as received.
 */
public final class SmtpSink implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

    private final Process process;
    private final Path dumps;
    private final int port;

    private SmtpSink(Process process, Path dumps, int port) {
        this.process = process;
        this.dumps = dumps;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public static SmtpSink start() throws IOException, InterruptedException {
        Path dumps = Files.createTempDirectory("smtp-sink");
        dumps.toFile().setWritable(true, false); // it writes as the unprivileged user it switches to
        dumps.toFile().setExecutable(true, false);
        int port = LoopbackPorts.unused();
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody")); // it refuses to run as root
        }
        command.addAll(List.of("-d", dumps + "/%H%M%S.", "127.0.0.1:" + port, "10"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SmtpSink sink = new SmtpSink(p, dumps, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return sink;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    sink.close();
                    throw new IOException("smtp-sink did not start on 127.0.0.1:" + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    /** The dumped messages so far, oldest first. */
    public List<String> dumps() throws IOException {
        try (Stream<Path> files = Files.list(dumps)) {
            List<String> all = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                all.add(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return all;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
