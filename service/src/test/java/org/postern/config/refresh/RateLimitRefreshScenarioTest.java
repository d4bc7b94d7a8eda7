package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;

/**
 * {@code POST /actuator/refresh} applies a smart host's new quota from the config server to the
 * running rate limiter, without a restart: at 2 messages a second ten messages need at least five
 * periods; after the refresh to 10 a second, with no wait for a permit, ten more go out with none
 * deferred, and the limiter's Prometheus gauge refills to 10. A refresh with an invalid limit is
 * refused whole: the route changed in the same refresh is not applied either.
 */
class RateLimitRefreshScenarioTest {

    private static String profile(TestMailReceiver smartHost, int limit, String timeout, String route) {
        return """
                postern:
                  policy:
                    relay-networks: [127.0.0.1/32]
                  routing:
                    smart-host: "%s"
                    domains:
                      "[example.org]": "%s"
                resilience4j:
                  ratelimiter:
                    instances:
                      "[127.0.0.1]":
                        limit-for-period: %d
                        limit-refresh-period: 1s
                        timeout-duration: %s
                """.formatted(smartHost.smartHost(), route, limit, timeout);
    }

    @Test
    void aRefreshedLimitTakesEffectOnTheRunningLimiter() throws Exception {
        try (TestMailReceiver smartHost = TestMailReceiver.unchecked("127.0.0.1");
                ConfigServedRelay relay = ConfigServedRelay.start(profile(smartHost, 2, "30s", "discard:"))) {
            String permits = "resilience4j_ratelimiter_available_permissions";
            assertThat(relay.metric(permits, "name=\"127.0.0.1\"")).isEqualTo(2.0);

            // 2 a second: ten messages take five periods, so the last permit comes at least 3 s after the first.
            long start = System.nanoTime();
            send(relay, "slow", 10);
            TestMailReceiver.await(Duration.ofSeconds(60), () -> smartHost.messages().size() == 10, "ten at 2/s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));

            relay.writeProfile(profile(smartHost, 10, "0s", "discard:"));
            assertThat(relay.refresh()).contains("resilience4j.ratelimiter.instances[127.0.0.1].limit-for-period");
            assertThat(relay.metric("postern_config_refresh_total", "outcome=\"applied\"")).isEqualTo(1.0);
            // The new limit applies from the next period on: the idle limiter refills to 10.
            awaitMetric(relay, permits, "name=\"127.0.0.1\"", 10.0);

            // With no wait for a permit, a 2/s limit would defer most of ten; 10/s defers none.
            send(relay, "fast", 10);
            TestMailReceiver.await(Duration.ofSeconds(60), () -> smartHost.messages().size() == 20, "ten more at 10/s");
            assertThat(deferred(relay)).as("nothing deferred").isZero();

            // An invalid limit refuses the whole refresh: the route change beside it is not applied.
            relay.writeProfile(profile(smartHost, 0, "0s", smartHost.smartHost()));
            relay.refresh();
            assertThat(relay.metric("postern_config_refresh_total", "outcome=\"refused\"")).isEqualTo(1.0);
            String discarded = sendTo(relay, "gone@example.org");
            relay.awaitRemoved(discarded);
            Thread.sleep(500);
            assertThat(smartHost.messages()).as("example.org still discarded").hasSize(20);
            assertThat(relay.metric(permits, "name=\"127.0.0.1\"")).isEqualTo(10.0);
        }
    }

    /** Deferred recipients so far: the counter appears with the first deferral. */
    private static double deferred(ConfigServedRelay relay) throws Exception {
        try {
            return relay.metric("postern_recipients_deferred_total", "");
        } catch (AssertionError noSampleYet) {
            return 0;
        }
    }

    private static void awaitMetric(ConfigServedRelay relay, String name, String label, double value)
            throws InterruptedException {
        TestMailReceiver.await(Duration.ofSeconds(10), () -> {
            try {
                return relay.metric(name, label) == value;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name + "{" + label + "} == " + value);
    }

    /** {@code count} messages in one session, to {@code prefix0@example.net} and on. */
    private static void send(ConfigServedRelay relay, String prefix, int count) throws Exception {
        try (SmtpTestClient client = relay.connectFrom("127.0.0.1")) {
            client.greeting();
            client.ehlo("app.test");
            for (int i = 0; i < count; i++) {
                assertReply(client.sendMessage("app@example.com", List.of(prefix + i + "@example.net"),
                        "Subject: " + prefix + i + "\r\n\r\nbody\r\n"), 250, "2.0.0");
            }
        }
    }

    private static String sendTo(ConfigServedRelay relay, String rcpt) throws Exception {
        try (SmtpTestClient client = relay.connectFrom("127.0.0.1")) {
            client.greeting();
            client.ehlo("app.test");
            SmtpTestClient.Reply queued = client.sendMessage("app@example.com", List.of(rcpt), "Subject: x\r\n\r\nbody\r\n");
            assertReply(queued, 250, "2.0.0");
            return SmtpTestClient.queueId(queued);
        }
    }
}
