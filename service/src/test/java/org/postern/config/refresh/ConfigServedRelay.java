package org.postern.config.refresh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.PosternApplication;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.postern.testing.LoopbackConfigServer;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole relay, started as {@code java -jar} would be, taking its configuration from a
 * {@link LoopbackConfigServer}: the project's {@code config/postern.yml} with a test profile file
 * ({@value #PROFILE_FILE}) laid over it. Only what must stay on loopback and in a temporary
 * directory (listener, HTTP port, spool, DNS) is given on the command line; routes and relay
 * networks come from the server, so a refresh can change them.
 */
final class ConfigServedRelay implements AutoCloseable {
    static final String PROFILE = "loopback";
    static final String PROFILE_FILE = "postern-" + PROFILE + ".yml";

    private final LoopbackConfigServer server;
    private final ConfigurableApplicationContext relay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConfigServedRelay(LoopbackConfigServer server, ConfigurableApplicationContext relay) {
        this.server = server;
        this.relay = relay;
    }

    /** Starts a config server whose repository holds {@code profileYaml} as the test profile, then the relay. */
    static ConfigServedRelay start(String profileYaml) throws IOException {
        return start(profileYaml, true);
    }

    /**
     * @param required true: {@code spring.config.import=configserver:<uri>} (startup and refresh fail
     *                 without the server); false: only the embedded {@code optional:configserver:}
     *                 import, pointed at the server by {@code spring.cloud.config.uri}
     */
    static ConfigServedRelay start(String profileYaml, boolean required) throws IOException {
        LoopbackConfigServer server = LoopbackConfigServer.start();
        server.write(PROFILE_FILE, profileYaml);
        Path spool = Files.createTempDirectory("postern-spool");
        List<String> args = new ArrayList<>(List.of(
                // spring-cloud-config-server, on the test classpath only, turns the config client off
                // in every application unless this says otherwise.
                "--spring.cloud.config.enabled=true",
                // application.yaml's own optional:configserver: import uses this URI (by default it
                // would look on localhost:8888, where something else might listen).
                "--spring.cloud.config.uri=" + server.uri(),
                "--spring.profiles.active=" + PROFILE,
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.main.register-shutdown-hook=false",
                // A list from the command line replaces config/postern.yml's listener on 0.0.0.0:2525.
                "--postern.daemon-ports[0].addr=127.0.0.1",
                "--postern.daemon-ports[0].port=0",
                "--postern.spool.directory=" + spool,
                "--postern.dns.servers=127.0.0.1:1",
                "--postern.dns.timeout=500ms"));
        if (required) {
            args.add(0, "--spring.config.import=configserver:" + server.uri());
        }
        try {
            return new ConfigServedRelay(server,
                    new SpringApplicationBuilder(PosternApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    LoopbackConfigServer server() {
        return server;
    }

    ConfigurableApplicationContext context() {
        return relay;
    }

    /** Replaces the test profile file in the config server's repository. */
    void writeProfile(String yaml) {
        server.write(PROFILE_FILE, yaml);
    }

    int smtpPort() {
        return relay.getBean(SmtpServer.class).localPort("MTA");
    }

    int httpPort() {
        return Integer.parseInt(relay.getEnvironment().getProperty("local.server.port"));
    }

    SmtpTestClient connectFrom(String localAddress) throws IOException {
        return SmtpTestClient.connectFrom(localAddress, smtpPort());
    }

    /** Waits (up to 20 s) until the message has left the spool: delivered, discarded or bounced. */
    void awaitRemoved(String queueId) throws InterruptedException {
        Spool spool = relay.getBean(Spool.class);
        TestMailReceiver.await(Duration.ofSeconds(20), () -> {
            try {
                return !spool.queueIds().contains(queueId);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, queueId + " to leave the spool");
    }

    /** {@code POST /actuator/refresh} over HTTP; returns the response body (the changed keys, as JSON). */
    String refresh() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(actuator("refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /actuator/refresh: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** The value of a Prometheus sample from {@code /actuator/prometheus}, e.g. {@code postern_config_refresh_total{outcome="applied"}}. */
    double metric(String name, String label) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(actuator("prometheus")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Pattern sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label)
                + "[^}]*\\} (\\S+)$");
        if (label.isEmpty()) {
            sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$");
        }
        Matcher m = sample.matcher(body);
        if (!m.find()) {
            throw new AssertionError("no sample " + name + "{" + label + "} in:\n" + body);
        }
        return Double.parseDouble(m.group(1));
    }

    private URI actuator(String endpoint) {
        return URI.create("http://127.0.0.1:" + httpPort() + "/actuator/" + endpoint);
    }

    @Override
    public void close() {
        try {
            relay.close();
        } finally {
            server.close();
        }
    }
}
