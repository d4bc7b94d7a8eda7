package org.postern.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postern.testing.SmtpTestClient;

/**
 * The packaged relay ({@code target/postern.jar}) as its own process for the soak, relaying to a
 * loopback smart host. Like {@code durability.PosternProcess}, which holds all mail instead of
 * relaying it and does not expose the process id; the soak needs the id to count the process's
 * file descriptors and to ask it for a full GC ({@code jcmd <pid> GC.run}).
 */
final class SoakRelay implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("postern.jar", "target/postern.jar"));
    static final Path LOGS = Path.of(System.getProperty("postern.it-logs", "target/it-logs"));

    private final Process process;
    final Path log;
    final int smtpPort;
    final int httpPort;

    private SoakRelay(Process process, Path log, int smtpPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
    }

    /** Starts the relay on {@code spool}, relaying to {@code [127.0.0.1]:sinkPort}, and waits for its 220. */
    static SoakRelay start(Path spool, int sinkPort, String logName) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
        }
        int smtpPort = freePort();
        int httpPort = freePort();
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(logName);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar", JAR.toAbsolutePath().toString(),
                "--postern.daemon-ports[0].name=MTA",
                "--postern.daemon-ports[0].addr=127.0.0.1",
                "--postern.daemon-ports[0].port=" + smtpPort,
                "--server.address=127.0.0.1",
                "--server.port=" + httpPort,
                "--postern.spool.directory=" + spool.toAbsolutePath(),
                "--postern.hostname=relay.test",
                "--postern.routing.smart-host=[127.0.0.1]:" + sinkPort,
                // Nothing here needs DNS; never ask a resolver off loopback. The mail log stays on,
                // as in production: its cost belongs in the soak.
                "--postern.dns.servers=127.0.0.1:" + freePort());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        SoakRelay relay = new SoakRelay(process, log, smtpPort, httpPort);
        try {
            relay.awaitGreeting(Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** GET on the management port, e.g. {@code /actuator/prometheus}; fails unless HTTP 200. */
    String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + response.statusCode());
            }
            return response.body();
        }
    }

    /** {@code jcmd <pid> GC.run}: a full collection, after which the old generation holds only live objects. */
    void fullGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd GC.run did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid() + " GC.run exited with " + p.exitValue());
        }
    }

    /** The process's open file descriptors ({@code /proc/<pid>/fd}), or -1 where there is no /proc. */
    int openFileDescriptors() {
        Path fds = Path.of("/proc", Long.toString(pid()), "fd");
        try (var list = Files.list(fds)) {
            return (int) list.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGTERM and a graceful shutdown; SIGKILL after {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("postern did not stop within " + grace + " of SIGTERM; see " + log);
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

    private void awaitGreeting(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postern exited with " + process.exitValue() + "; see " + log);
            }
            try (SmtpTestClient client = new SmtpTestClient("127.0.0.1", smtpPort, 2000)) {
                if (client.greeting().code() == 220) {
                    client.command("QUIT");
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new IOException("postern did not answer on port " + smtpPort + " within " + timeout + "; see " + log,
                last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
