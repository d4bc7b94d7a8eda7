package org.postern.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image built from the repository's Dockerfile relays a message: a client on the host sends
 * it to the container's SMTP port, and the container delivers it to a receiver on the host's
 * loopback (reached through Testcontainers' host port forwarding). The image runs as uid 10001,
 * keeps its spool on a volume and answers the Kubernetes probes. Skipped where no Docker engine
 * runs; where one does, the build compiles the project inside the image, which takes minutes.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class ContainerImageIT {

    static TestMailReceiver receiver;
    static GenericContainer<?> postern;
    static String imageName;

    @BeforeAll
    static void buildAndStart() throws Exception {
        receiver = new TestMailReceiver();
        Testcontainers.exposeHostPorts(receiver.port());
        ImageFromDockerfile image = new ImageFromDockerfile("postern-it", true)
                .withDockerfile(Repository.root().resolve("Dockerfile"));
        // Postern's resolver reads DNS only, never /etc/hosts, where Testcontainers puts the host's
        // name: the smart host is the name's address, looked up by the shell before the relay starts.
        String start = "host=$(getent hosts host.testcontainers.internal | cut -d' ' -f1) && "
                + "export POSTERN_ROUTING_SMARTHOST=\"[$host]:" + receiver.port() + "\" && "
                + "exec java org.springframework.boot.loader.launch.JarLauncher";
        postern = new GenericContainer<>(image)
                .withAccessToHost(true)
                .withExposedPorts(2525, 8080)
                // Clients on the host arrive from the Docker bridge, a private network.
                .withEnv("POSTERN_POLICY_RELAYNETWORKS", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16")
                .withEnv("POSTERN_HOSTNAME", "relay.test")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh", "-c", start))
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(8080).forStatusCode(200))
                .withStartupTimeout(Duration.ofMinutes(3));
        postern.start();
        imageName = postern.getDockerImageName();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postern != null) {
            postern.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void relaysAMessageToAReceiverOnTheHost() throws Exception {
        String id;
        try (SmtpTestClient client = new SmtpTestClient(postern.getHost(), postern.getMappedPort(2525))) {
            assertThat(client.greeting().code()).isEqualTo(220);
            assertThat(client.ehlo("client.test").code()).isEqualTo(250);
            SmtpTestClient.Reply queued = client.sendMessage("app@example.org", List.of("someone@example.net"),
                    "Subject: from the container\r\n\r\nhello\r\n");
            id = SmtpTestClient.queueId(queued);
        }

        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messagesFor("someone@example.net").size() == 1,
                "the relayed message at the receiver on the host");
        TestMailReceiver.Message delivered = receiver.messagesFor("someone@example.net").getFirst();
        assertThat(delivered.mailFrom()).isEqualTo("app@example.org");
        assertThat(delivered.text()).contains("Subject: from the container").contains(id);
    }

    @Test
    void runsAsTheFixedNonRootUserWithTheSpoolOnAVolume() throws Exception {
        assertThat(postern.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
        assertThat(postern.execInContainer("ls", "/var/spool/postern").getStdout()).contains("queue");

        InspectImageResponse inspected = DockerClientFactory.instance().client().inspectImageCmd(imageName).exec();
        assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(inspected.getConfig().getVolumes()).containsKey("/var/spool/postern");
        assertThat(inspected.getConfig().getExposedPorts()).extracting(Object::toString)
                .contains("2525/tcp", "8080/tcp");
    }

    @Test
    void answersTheProbesAndServesMetrics() throws Exception {
        String base = "http://" + postern.getHost() + ":" + postern.getMappedPort(8080);
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String path : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
            }
        }
    }
}
