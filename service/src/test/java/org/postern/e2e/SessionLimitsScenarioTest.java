package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code postern.limits.max-sessions-per-client} and {@code max-sessions}: a connection over either
 * limit is answered 421 at once and closed, without a session; clients are told apart by address
 * (here 127.0.0.1 to 127.0.0.4, all loopback). The refusal comes before any EHLO, so it carries
 * no enhanced status code (as every reply before EHLO); its text names the reason.
 */
@TestPropertySource(properties = {
        "postern.limits.max-sessions-per-client=2",
        "postern.limits.max-sessions=3",
})
class SessionLimitsScenarioTest extends PosternTest {

    private final List<SmtpTestClient> open = new ArrayList<>();

    @BeforeEach
    void noSessionsLeft() throws Exception {
        awaitNoSessions();
    }

    @AfterEach
    void closeAll() {
        open.forEach(SmtpTestClient::close);
    }

    @Test
    void aThirdSessionFromOneClientIsRefused() throws Exception {
        admitted("127.0.0.1");
        SmtpTestClient second = admitted("127.0.0.1");

        try (SmtpTestClient third = SmtpTestClient.connectFrom("127.0.0.1", smtpPort())) {
            Reply refused = third.read();
            assertReply(refused, 421, "4.7.0");
            assertThat(refused.text()).isEqualTo("4.7.0 Too many sessions from your address, try again later");
            assertThat(third.readToEnd()).isEmpty();
        }

        // Another client is not affected, and the sessions already admitted still work.
        admitted("127.0.0.2");
        assertReply(second.ehlo("client.test"), 250, null);
        assertReply(second.command("NOOP"), 250, "2.0.0");

        // Once one of its sessions ends, the client may connect again.
        second.command("QUIT");
        second.close();
        awaitSessions(2);
        admitted("127.0.0.1");
    }

    @Test
    void aSessionPastTheTotalIsRefused() throws Exception {
        admitted("127.0.0.1");
        admitted("127.0.0.2");
        SmtpTestClient third = admitted("127.0.0.3");

        try (SmtpTestClient fourth = SmtpTestClient.connectFrom("127.0.0.4", smtpPort())) {
            Reply refused = fourth.read();
            assertReply(refused, 421, "4.7.0");
            assertThat(refused.text()).isEqualTo("4.7.0 Too many sessions, try again later");
            assertThat(fourth.readToEnd()).isEmpty();
        }

        third.command("QUIT");
        third.close();
        awaitSessions(2);
        admitted("127.0.0.4");
    }

    /** Connects from {@code from} and expects the greeting. */
    private SmtpTestClient admitted(String from) throws Exception {
        SmtpTestClient client = SmtpTestClient.connectFrom(from, smtpPort());
        open.add(client);
        Reply greeting = client.greeting();
        assertThat(greeting.code()).as("greeting for a client from %s: %s", from, greeting).isEqualTo(220);
        return client;
    }

    private void awaitSessions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (smtpServer.activeSessions() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(smtpServer.activeSessions()).isEqualTo(count);
    }
}
