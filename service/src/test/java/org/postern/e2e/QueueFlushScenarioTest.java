package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Two next hops are down (451 to every recipient), so their mail waits for a retry an hour away.
 * They come back; the operator flushes one destination (sendmail {@code -qR}, Postfix
 * {@code postqueue -s}): its messages are delivered at once and the other's still wait. Then one
 * message is flushed by its queue id, and finally the whole queue ({@code postqueue -f}).
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1h",
        "postern.queue.max-backoff=1h",
        "postern.queue-endpoint.write-enabled=true",
})
class QueueFlushScenarioTest extends PosternTest {

    static volatile boolean oneDown = true;
    static volatile boolean twoDown = true;
    static final TestMailReceiver one = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> oneDown ? "451 4.4.0 down for maintenance" : "250 2.1.5 OK");
    static final TestMailReceiver two = TestMailReceiver.unchecked("127.0.0.2")
            .onRcpt(rcpt -> twoDown ? "451 4.4.0 down for maintenance" : "250 2.1.5 OK");

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[one.test]", one::smartHost);
        registry.add("postern.routing.domains.[two.test]", two::smartHost);
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        one.close();
        two.close();
    }

    @Test
    void flushDeliversWaitingMailWithoutWaitingForTheBackoff() throws Exception {
        QueueApi api = new QueueApi(httpPort);
        String m1 = send("app@example.org", List.of("a@one.test"), "Subject: 1\r\n\r\nbody\r\n");
        String m2 = send("app@example.org", List.of("b@two.test"), "Subject: 2\r\n\r\nbody\r\n");
        String m3 = send("app@example.org", List.of("c@one.test", "d@two.test"), "Subject: 3\r\n\r\nbody\r\n");
        String m4 = send("app@example.org", List.of("e@two.test"), "Subject: 4\r\n\r\nbody\r\n");
        for (String id : List.of(m1, m2, m3, m4)) {
            awaitAttempts(id, 1, Duration.ofSeconds(20));
        }
        oneDown = false;
        twoDown = false;
        Thread.sleep(1000);
        assertThat(one.messages()).isEmpty(); // the next attempt is at least 30 minutes away
        assertThat(two.messages()).isEmpty();

        // One destination: messages with a recipient there go now (m3 whole, as Postfix does).
        QueueApi.Response flushed = api.flush("one.test");
        assertThat(flushed.status()).isEqualTo(200);
        assertThat(flushed.json().path("action").asString()).isEqualTo("flush");
        assertThat(flushed.json().path("destination").asString()).isEqualTo("one.test");
        assertThat(flushed.json().path("messages").asInt()).isEqualTo(2);
        awaitRemoved(m1, Duration.ofSeconds(20));
        awaitRemoved(m3, Duration.ofSeconds(20));
        assertThat(one.messagesFor("a@one.test")).hasSize(1);
        assertThat(one.messagesFor("c@one.test")).hasSize(1);
        assertThat(two.messagesFor("d@two.test")).hasSize(1);
        Thread.sleep(500);
        assertThat(two.messagesFor("b@two.test")).isEmpty();
        assertThat(queued()).containsExactlyInAnyOrder(m2, m4);

        // One message by its queue id.
        QueueApi.Response single = api.action(m4, "flush");
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.json().path("messages").asInt()).isEqualTo(1);
        awaitRemoved(m4, Duration.ofSeconds(20));
        assertThat(two.messagesFor("e@two.test")).hasSize(1);
        assertThat(two.messagesFor("b@two.test")).isEmpty();

        // Everything.
        QueueApi.Response all = api.flush();
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("messages").asInt()).isEqualTo(1);
        assertThat(all.json().path("destination").isNull()).isTrue();
        awaitRemoved(m2, Duration.ofSeconds(20));
        assertThat(two.messagesFor("b@two.test")).hasSize(1);
        assertThat(api.get("").json().path("total").asInt()).isZero();
        assertThat(api.action(m2, "flush").status()).isEqualTo(404);
    }
}
