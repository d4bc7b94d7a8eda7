package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;

/**
 * {@code POST /actuator/refresh} over HTTP applies new routes, mailers, header lines and relay networks from the
 * config server without a restart: new mail goes to the new smart host, a route follows its
 * mailer's new port, a new mailertable entry takes effect, a client that was refused may now relay,
 * and SMTP sessions opened before the refresh (one idle after EHLO, one in the middle of a
 * transaction) go on working after it.
 */
class RuntimeRefreshScenarioTest {

    /** The test profile: smart host, one mailertable entry through esmtp (its port from the mailer), relay networks. */
    private static String profile(TestMailReceiver smartHost, int esmtpPort, String relayNetworks, String extraRoutes) {
        return profile(smartHost, esmtpPort, relayNetworks, extraRoutes, "");
    }

    /** ... and extra YAML under {@code postern:} (header lines). */
    private static String profile(TestMailReceiver smartHost, int esmtpPort, String relayNetworks, String extraRoutes,
            String extra) {
        return """
                postern:
                  policy:
                    relay-networks: [%s]
                  routing:
                    smart-host: "%s"
                    domains:
                      "[example.org]": "esmtp:[127.0.0.1]"
                %s
                  mailers:
                    esmtp:
                      port: %d
                %s
                """.formatted(relayNetworks, smartHost.smartHost(), extraRoutes, esmtpPort, extra);
    }

    @Test
    void refreshAppliesRoutesMailersAndRelayNetworksWithoutDroppingSessions() throws Exception {
        try (TestMailReceiver first = new TestMailReceiver();
                TestMailReceiver second = new TestMailReceiver();
                ConfigServedRelay relay = ConfigServedRelay.start(profile(first, first.port(), "127.0.0.1/32", ""))) {

            // Before: everything goes to the first receiver, and 127.0.0.2 may not relay.
            send(relay, "127.0.0.1", "smart@example.net");
            send(relay, "127.0.0.1", "route@example.org");
            TestMailReceiver.await(Duration.ofSeconds(20), () -> first.messages().size() == 2, "delivery to the first");
            try (SmtpTestClient outsider = relay.connectFrom("127.0.0.2")) {
                outsider.greeting();
                outsider.ehlo("outside.test");
                outsider.command("MAIL FROM:<app@example.com>");
                assertReply(outsider.command("RCPT TO:<smart@example.net>"), 550, "5.7.1");
            }

            // Sessions opened before the refresh: one idle after EHLO from 127.0.0.2, one mid-transaction.
            SmtpTestClient idle = relay.connectFrom("127.0.0.2");
            SmtpTestClient midTransaction = relay.connectFrom("127.0.0.1");
            try (idle; midTransaction) {
                idle.greeting();
                idle.ehlo("early.test");
                midTransaction.greeting();
                midTransaction.ehlo("early.test");
                assertReply(midTransaction.command("MAIL FROM:<app@example.com>"), 250, "2.1.0");
                assertReply(midTransaction.command("RCPT TO:<during@example.net>"), 250, "2.1.5");

                relay.writeProfile(profile(second, second.port(), "127.0.0.1/32, 127.0.0.2/32",
                        "      \"[example.com]\": \"discard:\"",
                        "  headers:\n    - \"H?F?X-Refreshed: generation two\""));
                String changed = relay.refresh();
                assertThat(changed).contains("postern.routing.smart-host", "postern.mailers.esmtp.port",
                        "postern.policy.relay-networks", "postern.headers[0]");

                // The mid-transaction session finishes its message; it is routed with the new smart host.
                assertReply(midTransaction.command("DATA"), 354, null);
                midTransaction.send("Subject: during\r\n\r\nbody\r\n.\r\n");
                assertReply(midTransaction.read(), 250, "2.0.0");
                // The idle session from 127.0.0.2 may relay now, in the session it opened before.
                assertReply(idle.command("MAIL FROM:<app@example.com>"), 250, "2.1.0");
                assertReply(idle.command("RCPT TO:<idle@example.org>"), 250, "2.1.5");
                assertReply(idle.command("DATA"), 354, null);
                idle.send("Subject: idle\r\n\r\nbody\r\n.\r\n");
                assertReply(idle.read(), 250, "2.0.0");
                assertReply(idle.command("QUIT"), 221, "2.0.0");
                assertReply(midTransaction.command("QUIT"), 221, "2.0.0");
            }

            // After: new sessions too; example.com is discarded by the new mailertable entry.
            send(relay, "127.0.0.1", "after@example.net");
            String discarded = send(relay, "127.0.0.2", "gone@example.com");
            TestMailReceiver.await(Duration.ofSeconds(20), () -> second.messages().size() == 3, "delivery to the second");
            assertThat(second.messages()).flatExtracting(TestMailReceiver.Message::rcptTo)
                    .containsExactlyInAnyOrder("during@example.net", "idle@example.org", "after@example.net");
            relay.awaitRemoved(discarded);
            assertThat(first.messages()).flatExtracting(TestMailReceiver.Message::rcptTo)
                    .containsExactlyInAnyOrder("smart@example.net", "route@example.org");
            // The header line added by the refresh applies to what is delivered after it, only.
            assertThat(second.messages()).allSatisfy(m -> assertThat(new String(m.data(), StandardCharsets.UTF_8))
                    .contains("X-Refreshed: generation two\r\n"));
            assertThat(first.messages()).allSatisfy(m -> assertThat(new String(m.data(), StandardCharsets.UTF_8))
                    .doesNotContain("X-Refreshed"));
            assertThat(relay.metric("postern_config_refresh_total", "outcome=\"applied\"")).isEqualTo(1.0);
            assertThat(relay.metric("postern_config_refresh_total", "outcome=\"refused\"")).isEqualTo(0.0);
            assertThat(relay.context().getBean(RuntimeConfigurationHolder.class).get().generation()).isEqualTo(2);
        }
    }

    /** One message in its own session from {@code from}; returns its queue id. */
    private static String send(ConfigServedRelay relay, String from, String rcpt) throws Exception {
        try (SmtpTestClient client = relay.connectFrom(from)) {
            client.greeting();
            client.ehlo("app.test");
            SmtpTestClient.Reply queued = client.sendMessage("app@example.com", List.of(rcpt),
                    "Subject: to " + rcpt + "\r\n\r\nbody\r\n");
            assertReply(queued, 250, "2.0.0");
            return SmtpTestClient.queueId(queued);
        }
    }
}
