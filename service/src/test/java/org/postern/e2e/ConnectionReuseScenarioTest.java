package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Connections to a destination are reused for up to the mailer's {@code m=} messages, counted at
 * the receiver: seven messages with {@code maxmessages=3} take three connections.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.mailers.relay.maxmessages=3",
        "postern.queue.destination-concurrency=1",
        "postern.queue.connection-cache-time=30s",
})
class ConnectionReuseScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void reusesConnectionsUpToMaxMessages() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(send("app@example.com", List.of("r" + i + "@example.net"), "Subject: " + i + "\r\n\r\nbody\r\n"));
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 7, "7 deliveries");
        for (String id : ids) {
            awaitRemoved(id, Duration.ofSeconds(10));
        }
        assertThat(receiver.connections()).isEqualTo(3);
        assertThat(receiver.messages().stream().map(TestMailReceiver.Message::connection).distinct().count())
                .isEqualTo(3);
        // RSET is not needed between clean transactions; each connection carries at most three.
        assertThat(receiver.messages().stream().collect(java.util.stream.Collectors.groupingBy(
                TestMailReceiver.Message::connection, java.util.stream.Collectors.counting())).values())
                .allMatch(n -> n <= 3);
    }
}
