package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.DaemonModifiers;
import org.postern.policy.Authenticator;
import org.postern.policy.NetworkRange;
import org.postern.policy.RelayPolicy;
import org.postern.policy.SessionLimiter;
import org.postern.smtp.AddressFamily;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.testing.SmtpTestClient;

/**
 * The server reports each accepted message's commit time (end of content to 250) to its
 * {@link MessageReceivedListener}, for DATA and for BDAT, and only for accepted messages: what
 * {@code postern_smtp_data_commit_seconds} is made of.
 */
class CommitTimingTest {

    @TempDir
    Path dir;

    private final List<String> commits = new CopyOnWriteArrayList<>();
    private Spool spool;
    private SmtpServer server;

    @BeforeEach
    void start() throws Exception {
        spool = Spool.open(new SpoolOptions(dir, Duration.ZERO), SpoolEvents.NONE);
        SessionSettings settings = new SessionSettings("relay.test", 1000, 10, 512, 998, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 10, 100, 100, BareLineEndings.REJECT, false);
        MessageReceivedListener received = new MessageReceivedListener() {
            @Override
            public void received(String listener, String outcome) {
            }

            @Override
            public void committed(String listener, long nanos) {
                commits.add(listener + " " + (nanos > 0));
            }
        };
        ServerContext context = new ServerContext(settings, new RelayPolicy(List.of(NetworkRange.parse("127.0.0.0/8"))),
                new Authenticator(Map.of()), null, spool, new SessionLimiter(10, 10), Clock.systemUTC(), null, received);
        DaemonPort port = new DaemonPort("MTA", InetAddress.getLoopbackAddress(), 0, AddressFamily.INET, 10,
                Set.<DaemonModifiers>of(), 0, 0, 0);
        server = new SmtpServer(List.of(port), context);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(1));
        spool.close();
    }

    @Test
    void acceptedMessagesAreTimedRejectedOnesAreNot() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(server.localPort("MTA"))) {
            client.greeting();
            client.ehlo("client.test");
            assertThat(client.sendMessage("a@example.org", List.of("b@example.net"), "Subject: t\r\n\r\nhi\r\n").code())
                    .isEqualTo(250);
            assertThat(client.sendMessage("a@example.org", List.of("b@example.net"), "x".repeat(900) + "\r\n"
                    + "y".repeat(900) + "\r\n").code()).isEqualTo(552);
            assertThat(client.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<b@example.net>").code()).isEqualTo(250);
            client.send("BDAT 4 LAST\r\nhi\r\n");
            assertThat(client.read().code()).isEqualTo(250);
        }
        assertThat(commits).containsExactly("MTA true", "MTA true");
        assertThat(spool.queueIds()).hasSize(2);
    }
}
