package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.smtp.server.SelfSignedCertificate;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * AUTH to a smart host with the password from a mounted secret file: Postern upgrades with
 * STARTTLS first, authenticates with PLAIN, delivers, and never logs the password.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SmartHostAuthScenarioTest extends PosternTest {

    static final String PASSWORD = "s3cret-Pa55word";
    static final TestMailReceiver receiver = TestMailReceiver.unchecked()
            .startTls(SelfSignedCertificate.sslContext("receiver.test"))
            .requireAuth("postern", PASSWORD);
    static final Path secret = writeSecret();

    static Path writeSecret() {
        try {
            Path dir = Files.createTempDirectory("postern-secret");
            return Files.writeString(dir.resolve("smarthost-password"), PASSWORD + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
        registry.add("postern.routing.auth.[127.0.0.1].username", () -> "postern");
        registry.add("postern.routing.auth.[127.0.0.1].password-file", secret::toString);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void authenticatesOverTlsWithThePasswordFile(CapturedOutput output) throws Exception {
        String id = send("app@example.org", List.of("someone@example.net"), "Subject: auth\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(receiver.authenticated()).containsExactly("postern+tls");
        assertThat(receiver.messages().get(0).tls()).isTrue();
        String plain = java.util.Base64.getEncoder().encodeToString(("\0postern\0" + PASSWORD).getBytes());
        assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain(plain);
    }
}
