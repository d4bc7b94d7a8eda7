package org.postern.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.postern.testing.SmtpTestClient;

/**
 * The packaged relay ({@code target/postern.jar}) as its own process for the soak, relaying to a
 * loopback smart host. Like {@code durability.PosternProcess}, which holds all mail instead of
 * relaying it and does not expose the process id; the soak needs the id to count the process's
 * file descriptors and to ask it for a full GC and its threads ({@code jcmd}).
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

    /**
     * One {@code jcmd <pid> -f} run of {@code GC.run} (a full collection, after which the old
     * generation holds only live objects) and {@code Thread.print}: returns the platform threads'
     * names with their counts, digits folded ({@code ForkJoinPool-#-worker-#=3}). One jcmd, because
     * each is a JVM start on a machine the soak already loads.
     */
    Map<String, Integer> fullGcAndThreadNames() throws IOException, InterruptedException {
        Path commands = Files.createTempFile("soak-jcmd", ".txt");
        try {
            Files.writeString(commands, "GC.run\nThread.print\n");
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "-f", commands.toString())
                    .redirectErrorStream(true).start();
            Map<String, Integer> names = new TreeMap<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    int end = line.indexOf('"', 1);
                    if (line.startsWith("\"") && end > 0) {
                        names.merge(line.substring(1, end).replaceAll("[0-9]+", "#"), 1, Integer::sum);
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd GC.run, Thread.print did not finish in 60 s");
            }
            if (p.exitValue() != 0 || names.isEmpty()) {
                throw new IOException("jcmd " + pid() + " -f (GC.run, Thread.print) exited with " + p.exitValue());
            }
            return names;
        } finally {
            Files.deleteIfExists(commands);
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
