package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * sendmail DaemonPortOptions modifiers, each on its own listener of one running relay:
 * s (SMTPS), a (AUTH required), S and A (no STARTTLS, no AUTH), f (qualified HELO),
 * O (optional socket) and children (sessions per listener).
 */
@TestPropertySource(properties = "postern.auth.allow-without-tls=true")
class DaemonModifiersScenarioTest extends PosternTest {

    /** Holds a port so the optional listener cannot bind it. */
    private static final ServerSocket OCCUPIED = occupy();

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("postern.auth.users.alice", () -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode("secret"));
        // A list is bound from one property source, so every listener is declared here.
        String[][] listeners = {{"MTA", ""}, {"SMTPS", "s"}, {"MSA", "Ea"}, {"PLAIN", "SA"}, {"STRICT", "f"},
                {"ONE", ""}, {"BUSY", "O"}};
        for (int i = 0; i < listeners.length; i++) {
            String key = "postern.daemon-ports[" + i + "].";
            String name = listeners[i][0];
            String modifiers = listeners[i][1];
            registry.add(key + "name", () -> name);
            registry.add(key + "addr", () -> "127.0.0.1");
            registry.add(key + "port", () -> name.equals("BUSY") ? OCCUPIED.getLocalPort() : 0);
            registry.add(key + "modifiers", () -> modifiers);
        }
        registry.add("postern.daemon-ports[5].children", () -> 1);
    }

    @AfterAll
    static void release() throws IOException {
        OCCUPIED.close();
    }

    @Test
    void smtpsListenerSpeaksTlsFromTheFirstByte() throws Exception {
        try (SSLSocket socket = (SSLSocket) SmtpTestClient.trustAll().getSocketFactory()
                .createSocket("127.0.0.1", smtpServer.localPort("SMTPS"))) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220 relay.test ESMTP");
            socket.getOutputStream().write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> ehlo = new java.util.ArrayList<>();
            String line;
            do {
                line = in.readLine();
                ehlo.add(line);
            } while (line.startsWith("250-"));
            assertThat(ehlo).contains("250-AUTH PLAIN LOGIN").noneMatch(l -> l.contains("STARTTLS"));
        }
    }

    @Test
    void requireAuthListenerRefusesMailUntilAuthenticated() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("MSA"))) {
            client.greeting();
            client.ehlo("client.test");
            Reply refused = client.command("MAIL FROM:<app@example.com>");
            assertThat(refused.code()).isEqualTo(530);
            assertThat(refused.enhanced()).isEqualTo("5.7.0");
            String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
            assertThat(client.sendMessage("app@example.com", List.of("to@example.net"), "Subject: a\r\n\r\nx").code())
                    .isEqualTo(250);
            assertThat(client.command("ETRN example.net").code()).isEqualTo(502);
        }
    }

    @Test
    void noStartTlsNoAuthListenerOffersNeither() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("PLAIN"))) {
            client.greeting();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.lines()).doesNotContain("STARTTLS").noneMatch(l -> l.startsWith("AUTH"));
            assertThat(client.command("STARTTLS").code()).isEqualTo(502);
            assertThat(client.command("AUTH PLAIN").code()).isEqualTo(502);
        }
        try (SmtpTestClient client = connectEhlo()) { // the default listener still offers both
            assertThat(client.ehlo("client.test").lines()).contains("STARTTLS", "AUTH PLAIN LOGIN");
        }
    }

    @Test
    void qualifiedHeloListenerRefusesBareNames() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("STRICT"))) {
            client.greeting();
            Reply refused = client.ehlo("localhost");
            assertThat(refused.code()).isEqualTo(501);
            assertThat(client.ehlo("[127.0.0.1]").code()).isEqualTo(250);
            assertThat(client.ehlo("client.test").code()).isEqualTo(250);
        }
    }

    @Test
    void childrenCapsSessionsOnThatListenerOnly() throws Exception {
        try (SmtpTestClient first = SmtpTestClient.connect(smtpServer.localPort("ONE"))) {
            assertThat(first.greeting().code()).isEqualTo(220);
            try (SmtpTestClient second = SmtpTestClient.connect(smtpServer.localPort("ONE"))) {
                assertThat(second.greeting().code()).isEqualTo(421);
                assertThat(second.isClosedByServer()).isTrue();
            }
            try (SmtpTestClient other = connect()) {
                assertThat(other.greeting().code()).isEqualTo(220);
            }
        }
    }

    @Test
    void optionalListenerThatCannotBindIsSkipped() {
        assertThat(smtpServer.localPort("BUSY")).isEqualTo(-1);
        assertThat(smtpServer.localPort("MTA")).isPositive();
    }

    private static ServerSocket occupy() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
