package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mail relayed through a smart host ({@code [127.0.0.1]:port}, the relay mailer): recipients share
 * one transaction (flag m), the message arrives with our Received header, and leaves the spool.
 */
@DirtiesContext
class SmartHostDeliveryScenarioTest extends PosternTest {

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
    void deliversToTheSmartHostInOneTransactionAndRemovesTheMessage() throws Exception {
        String id = send("app@example.com", List.of("one@example.net", "two@example.org"),
                "Subject: via smart host\r\n\r\n..dot line\r\nbody\r\n"); // dot-stuffed on the wire
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
        TestMailReceiver.Message m = receiver.messages().get(0);
        assertThat(m.mailFrom()).isEqualTo("app@example.com");
        assertThat(m.rcptTo()).containsExactly("one@example.net", "two@example.org");
        assertThat(m.text()).startsWith("Received: from client.test").contains("by relay.test")
                .contains("Subject: via smart host\r\n\r\n.dot line\r\nbody\r\n");
        awaitRemoved(id, Duration.ofSeconds(10));
    }
}
