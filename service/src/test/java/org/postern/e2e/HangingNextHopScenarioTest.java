package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.spool.RecipientState;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A next hop that greets and then never answers MAIL: the MAIL timeout ends the session, the
 * recipient is deferred (not bounced), and the next attempt is scheduled.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.timeouts.mail=1s",
        "postern.queue.min-backoff=10m",
        "postern.queue.max-backoff=1h",
})
class HangingNextHopScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked().hangAfterMail();

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void aHangingNextHopIsDeferred() throws Exception {
        long started = System.nanoTime();
        String id = send("app@example.org", List.of("someone@example.net"), "Subject: stuck\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        var stored = spool.read(id);
        assertThat(stored.states()).containsExactly(RecipientState.PENDING);
        assertThat(stored.schedule().nextAttempt()).isAfter(java.time.Instant.now().plusSeconds(60));
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(receiver.messages()).isEmpty();
        assertThat(receiver.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<app@example.org>"));
    }
}
