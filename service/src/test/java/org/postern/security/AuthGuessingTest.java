package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Password guessing over real sockets: {@code postern.auth.max-failures=3} within
 * {@code failure-window=6s}. Failures count per client address across sessions; past the limit,
 * AUTH gets {@code 454 4.7.0} (even with the right password) in that session and in new ones, until
 * the failures leave the window. Another address (each test uses its own from 127.0.0.0/8) is not
 * affected, a success resets nothing, and the log names the address but never the credentials.
 * Only 127.0.0.1 may relay without AUTH, so the guessers need AUTH to relay.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "postern.policy.relay-networks=127.0.0.1/32",
        "postern.auth.allow-without-tls=true",
        "postern.auth.max-failures=3",
        "postern.auth.failure-window=6s",
})
class AuthGuessingTest extends HostileInputBase {

    static final String PASSWORD = "correct horse battery staple";
    static final String WRONG = "Tr0ub4dor&3-guess";

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
        registry.add("postern.auth.users.alice", () -> hash);
        registry.add("postern.auth.users.bob", () -> hash);
    }

    @Test
    void guessesFromOneAddressAreCutOffAcrossSessionsUntilTheWindowPasses(CapturedOutput output) throws Exception {
        String guesser = "127.0.0.3";
        long firstFailure;
        try (SmtpTestClient client = session(guesser)) {
            assertReply(client.command(authPlain("alice", WRONG + 1)), 535, "5.7.8");
            firstFailure = System.nanoTime(); // the failure was counted before its reply
            assertReply(client.command(authPlain("bob", WRONG + 2)), 535, "5.7.8");
        }
        try (SmtpTestClient client = session(guesser)) {
            // The third failure, in a new session, reaches the limit: it is still answered 535 ...
            assertReply(client.command("AUTH LOGIN " + b64("alice")), 334, null);
            assertReply(client.command(b64(WRONG + 3)), 535, "5.7.8");
            // ... and from now on nothing is checked, not even the right password.
            Reply refused = client.command(authPlain("alice", PASSWORD));
            assertReply(refused, 454, "4.7.0");
            assertThat(refused.text()).contains("Too many authentication failures");
            assertReply(client.command("AUTH LOGIN"), 454, "4.7.0");
            // The session itself goes on: it just cannot relay.
            assertReply(client.command("MAIL FROM:<guess@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<target@example.net>"), 550, "5.7.1");
        }
        try (SmtpTestClient client = session(guesser)) {
            assertReply(client.command(authPlain("alice", PASSWORD)), 454, "4.7.0");
        }

        // Another address is not affected: it authenticates and relays.
        try (SmtpTestClient client = session("127.0.0.2")) {
            assertReply(client.command(authPlain("alice", PASSWORD)), 235, "2.7.0");
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<friend@example.net>"), 250, "2.1.5");
        }

        // Once the oldest failure is older than the window, the guesser may try again.
        long waitMillis = 6_300 - millisSince(firstFailure);
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        try (SmtpTestClient client = session(guesser)) {
            assertReply(client.command(authPlain("alice", PASSWORD)), 235, "2.7.0");
            assertReply(client.command("MAIL FROM:<alice@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<friend@example.net>"), 250, "2.1.5");
        }

        assertThat(output.getAll()).contains("AUTH failed from [127.0.0.3]")
                .contains("[127.0.0.3] reached 3 AUTH failures")
                .doesNotContain(WRONG).doesNotContain(PASSWORD).doesNotContain(b64(WRONG + 3));
    }

    @Test
    void aSuccessResetsNothing() throws Exception {
        String guesser = "127.0.0.4";
        try (SmtpTestClient client = session(guesser)) {
            assertReply(client.command(authPlain("bob", WRONG)), 535, "5.7.8");
            assertReply(client.command(authPlain("bob", WRONG)), 535, "5.7.8");
            // The attacker's own account: its success does not wipe the failures.
            assertReply(client.command(authPlain("alice", PASSWORD)), 235, "2.7.0");
        }
        // Someone else's success (127.0.0.5) does not either.
        try (SmtpTestClient client = session("127.0.0.5")) {
            assertReply(client.command(authPlain("alice", PASSWORD)), 235, "2.7.0");
        }
        try (SmtpTestClient client = session(guesser)) {
            assertReply(client.command(authPlain("bob", WRONG)), 535, "5.7.8");
            assertReply(client.command(authPlain("alice", PASSWORD)), 454, "4.7.0");
        }
    }

    @Test
    void malformedOrCancelledExchangesAreNotGuesses() throws Exception {
        try (SmtpTestClient client = session("127.0.0.6")) {
            for (int i = 0; i < 4; i++) {
                assertReply(client.command("AUTH PLAIN not*base64"), 501, "5.5.2");
            }
            assertReply(client.command("AUTH LOGIN"), 334, null);
            assertReply(client.command("*"), 501, "5.0.0");
            assertReply(client.command(authPlain("alice", PASSWORD)), 235, "2.7.0");
        }
    }

    @Test
    void failuresAreCountedByOutcome() throws Exception {
        double rejected = metric("rejected");
        double blocked = metric("blocked");
        try (SmtpTestClient client = session("127.0.0.7")) {
            for (int i = 0; i < 3; i++) {
                assertReply(client.command(authPlain("alice", WRONG)), 535, "5.7.8");
            }
            assertReply(client.command(authPlain("alice", WRONG)), 454, "4.7.0");
            assertReply(client.command(authPlain("alice", PASSWORD)), 454, "4.7.0");
        }
        assertThat(metric("rejected")).isEqualTo(rejected + 3);
        assertThat(metric("blocked")).isEqualTo(blocked + 2);
    }

    /** A session from {@code from}, greeted and after EHLO. */
    private SmtpTestClient session(String from) throws IOException {
        SmtpTestClient client = SmtpTestClient.connectFrom(from, smtpPort());
        assertThat(client.greeting().code()).isEqualTo(220);
        Reply ehlo = client.ehlo("guesser.test");
        assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN");
        return client;
    }

    /** {@code postern_auth_failures_total{outcome=...}} from /actuator/prometheus. */
    private double metric(String outcome) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^postern_auth_failures_total\\{[^}]*outcome=\"" + outcome
                    + "\"[^}]*\\} (\\S+)$").matcher(body);
            assertThat(m.find()).as("postern_auth_failures_total{outcome=%s} in the scrape", outcome).isTrue();
            return Double.parseDouble(m.group(1));
        }
    }

    private static String authPlain(String user, String password) {
        return "AUTH PLAIN " + b64("\0" + user + "\0" + password);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
