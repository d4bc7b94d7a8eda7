package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A refreshed configuration that fails validation is refused whole: the running routes and relay
 * networks stay (even the valid parts of the refused tree are not applied), the log names the
 * property and the reason, and {@code postern_config_refresh_total{outcome="refused"}} counts it.
 * A restart-only change is not applied either: it is logged and shown by
 * {@code postern_config_restart_required} until the sources hold the running value again.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefusedRefreshScenarioTest {

    static TestMailReceiver first;
    static TestMailReceiver second;
    static ConfigServedRelay relay;

    @BeforeAll
    static void start() throws Exception {
        first = new TestMailReceiver();
        second = new TestMailReceiver();
        relay = ConfigServedRelay.start(profile(first.smartHost(), "127.0.0.1/32", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        try (var a = first; var b = second; var r = relay) {
            // closes all three
        }
    }

    private static String profile(String smartHost, String relayNetworks, String extra) {
        return """
                postern:
                  policy:
                    relay-networks: [%s]
                  routing:
                    smart-host: "%s"
                %s
                """.formatted(relayNetworks, smartHost, extra);
    }

    /** An invalid tree, the property its refusal must name and the reason. */
    record Invalid(String yaml, String property, String reason) {
    }

    @Test
    @Order(1)
    void anInvalidRefreshIsRefusedWholeAndTheRunningConfigurationStays(CapturedOutput output) throws Exception {
        String valid = "127.0.0.1/32, 127.0.0.2/32"; // each tree also opens relaying to 127.0.0.2: never applied
        List<Invalid> invalid = List.of(
                new Invalid(profile("nosuch:[127.0.0.1]:" + second.port(), valid, ""),
                        "postern.routing.smart-host", "no mailer named 'nosuch'"),
                new Invalid(profile("relay:[127.0.0.1:" + second.port(), valid, ""),
                        "postern.routing.smart-host", "relay:[127.0.0.1:" + second.port()),
                new Invalid(profile(second.smartHost(), "127.0.0.2/33", ""),
                        "postern.policy.relay-networks", "prefix length must be 0..32"),
                new Invalid(profile(second.smartHost(), valid, "    smart-hots: \"[127.0.0.1]\""),
                        "postern.routing.smart-hots", "left unbound"),
                new Invalid(profile(second.smartHost(), valid, "  mailers:\n    relay:\n      port: 0"),
                        "postern.mailers.relay.port: must be greater than or equal to 1", ""),
                new Invalid(profile(second.smartHost(), valid, "    domains:\n      \"[example.org]\": \"lmtp:[127.0.0.1]\""),
                        "postern.routing.domains[example.org]", "no mailer named 'lmtp'"));
        for (Invalid bad : invalid) {
            int logStart = output.getAll().length();
            relay.writeProfile(bad.yaml());
            relay.refresh();
            assertThat(output.getAll().substring(logStart)).as("log of the refresh with %s", bad.yaml())
                    .contains("configuration refresh refused, nothing applied; generation 1 stays in effect")
                    .contains(bad.property()).contains(bad.reason());
        }
        assertThat(relay.metric("postern_config_refresh_total", "outcome=\"refused\"")).isEqualTo(invalid.size());
        assertThat(relay.metric("postern_config_refresh_total", "outcome=\"applied\"")).isZero();
        assertThat(relay.context().getBean(RuntimeConfigurationHolder.class).get().generation()).isEqualTo(1);

        // The old routes and relay networks still apply.
        try (SmtpTestClient outsider = relay.connectFrom("127.0.0.2")) {
            outsider.greeting();
            outsider.ehlo("outside.test");
            outsider.command("MAIL FROM:<app@example.com>");
            assertReply(outsider.command("RCPT TO:<someone@example.net>"), 550, "5.7.1");
        }
        send("still@example.net", "also@example.org");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> first.messages().size() == 1, "delivery to the first");
        assertThat(first.messages().get(0).rcptTo()).containsExactly("still@example.net", "also@example.org");
        assertThat(second.messages()).isEmpty();
    }

    @Test
    @Order(2)
    void aRestartOnlyChangeIsReportedAndNotApplied(CapturedOutput output) throws Exception {
        int logStart = output.getAll().length();
        relay.writeProfile(profile(second.smartHost(), "127.0.0.1/32", "  limits:\n    max-recipients: 1"));
        relay.refresh();
        assertThat(output.getAll().substring(logStart))
                .contains("configuration refresh applied (generation 2): postern.routing.smart-host")
                .contains("postern.limits.max-recipients changed but can only take effect at a restart");
        assertThat(relay.metric("postern_config_restart_required", "")).isEqualTo(1.0);

        // The smart host moved; the recipient limit did not (two recipients are still accepted).
        send("one@example.net", "two@example.net");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> second.messages().size() == 1, "delivery to the second");
        assertThat(second.messages().get(0).rcptTo()).containsExactly("one@example.net", "two@example.net");

        // Back to the running value: nothing waits for a restart any more.
        relay.writeProfile(profile(second.smartHost(), "127.0.0.1/32", ""));
        relay.refresh();
        assertThat(relay.metric("postern_config_restart_required", "")).isZero();
        assertThat(relay.metric("postern_config_refresh_total", "outcome=\"restart_required\"")).isZero();
        assertThat(relay.metric("postern_config_refresh_total", "outcome=\"applied\"")).isEqualTo(1.0);
    }

    private static void send(String... recipients) throws Exception {
        try (SmtpTestClient client = relay.connectFrom("127.0.0.1")) {
            client.greeting();
            client.ehlo("app.test");
            assertReply(client.sendMessage("app@example.com", List.of(recipients), "Subject: t\r\n\r\nbody\r\n"),
                    250, "2.0.0");
        }
    }
}
