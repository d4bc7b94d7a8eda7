package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.springframework.test.context.TestPropertySource;

/**
 * sendmail's ConnectionRateThrottle ({@code postern.limits.connection-rate-throttle}): a burst of
 * connections past the rate is not refused, it is accepted later, so the greetings spread out.
 */
@TestPropertySource(properties = "postern.limits.connection-rate-throttle=2")
class ConnectionRateThrottleScenarioTest extends PosternTest {

    @Test
    void aBurstPastTheRateIsDelayedNotRefused() throws Exception {
        List<SmtpTestClient> clients = new ArrayList<>();
        try {
            // The kernel completes these connections from the backlog; the listener accepts at its rate.
            for (int i = 0; i < 6; i++) {
                clients.add(new SmtpTestClient("127.0.0.1", smtpPort(), 20_000));
            }
            long start = System.nanoTime();
            List<Long> greetedAfterMillis = new ArrayList<>();
            for (SmtpTestClient client : clients) {
                SmtpTestClient.Reply greeting = client.greeting();
                assertThat(greeting.code()).as("greeting %s", greeting).isEqualTo(220);
                greetedAfterMillis.add((System.nanoTime() - start) / 1_000_000);
            }
            // 2 per second: the fifth and sixth wait two seconds after the first two (generous margin
            // below, as a loaded machine only makes it slower). Without the throttle all six are
            // greeted within milliseconds.
            assertThat(greetedAfterMillis.get(5) - greetedAfterMillis.get(0)).as("greetings %s", greetedAfterMillis)
                    .isGreaterThanOrEqualTo(1_500);
            for (SmtpTestClient client : clients) {
                assertThat(client.command("QUIT").code()).isEqualTo(221);
            }
        } finally {
            clients.forEach(SmtpTestClient::close);
        }
    }
}
