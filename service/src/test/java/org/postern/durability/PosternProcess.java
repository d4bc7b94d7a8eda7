package org.postern.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postern.testing.SmtpTestClient;

/**
 * The packaged relay ({@code target/postern.jar}) as a real operating-system process on loopback
 * ports, with its output in a file under {@code target/it-logs/} for diagnosis. Every wait is
 * bounded; {@link #close()} kills whatever is still running. {@link RelayLauncher} makes the
 * command line (the jar unpacked, with an AOT cache, so restarts take seconds).
 */
final class PosternProcess implements AutoCloseable {

    /** The executable jar; failsafe passes its path, the default suits a run from {@code service/}. */
    static final Path JAR = Path.of(System.getProperty("postern.jar", "target/postern.jar"));
    static final Path LOGS = Path.of(System.getProperty("postern.it-logs", "target/it-logs"));

    private final Process process;
    private final Path log;
    final int smtpPort;
    final int httpPort;

    private PosternProcess(Process process, Path log, int smtpPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
    }

    /**
     * Starts an instance on {@code spool} and waits until its SMTP listener answers 220.
     *
     * @param logName file name for its output, under {@code target/it-logs/}
     */
    static PosternProcess start(Path spool, String logName) throws IOException, InterruptedException {
        return start(spool, logName, Map.of());
    }

    /**
     * Starts an instance on {@code spool} with more (or other) properties, e.g.
     * {@code postern.routing.smart-host} for a next hop that takes the mail, and waits until its SMTP
     * listener answers 220.
     *
     * @param logName    file name for its output, under {@code target/it-logs/}
     * @param properties property name to value, passed as {@code --name=value}; replaces a default
     */
    static PosternProcess start(Path spool, String logName, Map<String, String> properties)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
        }
        int smtpPort = freePort();
        int httpPort = freePort();
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(logName);
        Map<String, String> settings = new LinkedHashMap<>();
        // The list replaces the embedded one, so the address is given again: loopback only.
        settings.put("postern.daemon-ports[0].name", "MTA");
        settings.put("postern.daemon-ports[0].addr", "127.0.0.1");
        settings.put("postern.daemon-ports[0].port", String.valueOf(smtpPort));
        settings.put("server.address", "127.0.0.1");
        settings.put("server.port", String.valueOf(httpPort));
        settings.put("postern.spool.directory", spool.toAbsolutePath().toString());
        settings.put("postern.hostname", "relay.test");
        // Unless a test names a next hop, mail stays in the spool: nothing listens on port 1 (tcpmux),
        // and as a privileged port it is never handed out for a bind to port 0. (A port that was
        // merely free when the relay started could be taken by another build's test receiver a
        // moment later, which would then accept and remove the mail a test expects to find queued.)
        // No resolver off loopback either.
        settings.put("postern.routing.smart-host", "[127.0.0.1]:1");
        settings.put("postern.dns.servers", "127.0.0.1:1");
        settings.putAll(properties);
        List<String> command = new ArrayList<>(RelayLauncher.command(JAR, LOGS));
        settings.forEach((name, value) -> command.add("--" + name + "=" + value));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        PosternProcess p = new PosternProcess(process, log, smtpPort, httpPort);
        try {
            p.awaitGreeting(Duration.ofSeconds(90));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void awaitGreeting(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postern exited with " + process.exitValue() + " before answering; see "
                        + log.toAbsolutePath());
            }
            try (SmtpTestClient client = new SmtpTestClient("127.0.0.1", smtpPort, 2000)) {
                SmtpTestClient.Reply greeting = client.greeting();
                if (greeting.code() == 220) {
                    client.command("QUIT");
                    return;
                }
                throw new IllegalStateException("greeting: " + greeting);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("postern did not answer on SMTP port " + smtpPort + " within " + timeout + "; see "
                + log.toAbsolutePath(), last);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye; returns once the process is gone. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("postern survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, a graceful Spring shutdown; SIGKILL if it takes longer than {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            killHard();
            throw new IllegalStateException("postern did not stop within " + grace + " of SIGTERM; see "
                    + log.toAbsolutePath());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** GET on the management (HTTP) port, e.g. {@code /actuator/prometheus}. */
    String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + response.statusCode());
            }
            return response.body();
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port free on 127.0.0.1 just now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
