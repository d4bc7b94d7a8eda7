package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.postern.testing.SmtpAssertions.recipients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * swaks, a real SMTP client written independently of Postern, sends through the running service:
 * plain, pipelined, over STARTTLS with AUTH PLAIN and LOGIN, and with a 200 KB body. Skipped where
 * swaks is not installed.
 */
class SwaksScenarioTest extends PosternTest {
    private static final Path SWAKS = Path.of("/usr/bin/swaks");

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("postern.auth.users.alice", () -> StartTlsAuthScenarioTest.ALICE_HASH);
    }

    @BeforeAll
    static void swaksInstalled() {
        assumeTrue(Files.isExecutable(SWAKS), "swaks is not installed");
    }

    @TempDir
    Path temp;

    @Test
    void plainTransaction() throws Exception {
        Envelope envelope = sendOne(List.of());
        assertThat(envelope.sender().toString()).isEqualTo("a@example.com");
        assertThat(recipients(envelope)).containsExactly("b@example.net");
        assertThat(envelope.heloName()).isEqualTo("client.test");
        assertThat(envelope.protocol()).isEqualTo("ESMTP");
        assertThat(clientContent(envelope.queueId())).contains("This is a test mailing");
    }

    @Test
    void pipelinedTransactionWithSeveralRecipients() throws Exception {
        Envelope envelope = sendOne(List.of("--pipeline", "--to", "b@example.net,c@example.org,d@example.com"));
        assertThat(recipients(envelope)).containsExactly("b@example.net", "c@example.org", "d@example.com");
    }

    @Test
    void startTlsWithAuthPlain() throws Exception {
        Envelope envelope = sendOne(List.of("-tls", "--auth", "PLAIN", "--auth-user", "alice",
                "--auth-password", StartTlsAuthScenarioTest.PASSWORD));
        assertThat(envelope.authenticatedAs()).isEqualTo("alice");
        assertThat(envelope.protocol()).isEqualTo("ESMTPSA");
        assertThat(content(envelope.queueId())).contains("(version=TLSv1.");
    }

    @Test
    void startTlsWithAuthLoginAndPipelining() throws Exception {
        Envelope envelope = sendOne(List.of("-tls", "--pipeline", "--auth", "LOGIN", "--auth-user", "alice",
                "--auth-password", StartTlsAuthScenarioTest.PASSWORD));
        assertThat(envelope.authenticatedAs()).isEqualTo("alice");
        assertThat(envelope.protocol()).isEqualTo("ESMTPSA");
    }

    @Test
    void wrongPasswordFailsAndNothingIsSent() throws Exception {
        Set<String> before = queued();
        Result result = swaks(List.of("-tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "wrong"));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("535 5.7.8");
        assertThat(queued()).isEqualTo(before);
    }

    @Test
    void bodyOf200Kilobytes() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 200 * 1024; i++) {
            // Some lines start with a dot: swaks must stuff them and Postern un-stuff them.
            body.append(i % 50 == 0 ? "." : "").append("line ").append(i).append(' ').append("x".repeat(70)).append("\r\n");
        }
        Path file = temp.resolve("body.txt");
        Files.writeString(file, body, StandardCharsets.US_ASCII);

        Envelope envelope = sendOne(List.of("--body", "@" + file));
        String stored = clientContent(envelope.queueId());
        assertThat(stored).contains(body.toString());
        assertThat(stored.length()).isGreaterThan(200 * 1024);
    }

    /** Runs swaks with the common arguments plus {@code extra}; expects success and one new message. */
    private Envelope sendOne(List<String> extra) throws Exception {
        Set<String> before = queued();
        Result result = swaks(extra);
        assertThat(result.exitCode()).as("swaks exit code; output:%n%s", result.output()).isZero();
        Set<String> added = new HashSet<>(queued());
        added.removeAll(before);
        assertThat(added).as("new messages in the spool").hasSize(1);
        return spool.read(added.iterator().next()).envelope();
    }

    private Result swaks(List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1",
                "--port", String.valueOf(smtpPort()), "--from", "a@example.com", "--ehlo", "client.test",
                "--timeout", "20"));
        if (!extra.contains("--to")) {
            command.addAll(List.of("--to", "b@example.net"));
        }
        command.addAll(extra);
        Path output = Files.createTempFile(temp, "swaks", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish in 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
    }

    private record Result(int exitCode, String output) {
    }
}
