package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.DsnReport;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A next hop answers 451 to one recipient first and 250 later, and 550 to another: the first is
 * retried and delivered once, the second comes back to the sender as an RFC 3464 DSN (through the
 * same queue and smart host), and the message then leaves the spool.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1s",
        "postern.queue.max-backoff=2s",
})
class RetryAndBounceScenarioTest extends PosternTest {

    static final AtomicInteger tries = new AtomicInteger();
    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onRcpt(rcpt -> switch (rcpt) {
        case "later@example.net" -> tries.incrementAndGet() == 1 ? "451 4.3.0 try again later" : "250 2.1.5 OK";
        case "nobody@example.net" -> "550 5.1.1 <nobody@example.net>: user unknown";
        default -> "250 2.1.5 OK";
    });

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void retriesTheTemporaryFailureAndBouncesThePermanentOne() throws Exception {
        String id = send("sender@example.org", List.of("later@example.net", "nobody@example.net"),
                "Subject: retry me\r\nMessage-ID: <m1@example.org>\r\n\r\nbody\r\n");

        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messagesFor("later@example.net").size() == 1,
                "the retried delivery");
        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messagesFor("sender@example.org").size() == 1,
                "the DSN");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(tries.get()).isEqualTo(2);

        TestMailReceiver.Message bounce = receiver.messagesFor("sender@example.org").get(0);
        assertThat(bounce.mailFrom()).isEmpty(); // from the null sender
        DsnReport dsn = DsnReport.parse(bounce.data());
        assertThat(dsn.reportType()).isEqualTo("delivery-status");
        assertThat(dsn.perMessage().get("reporting-mta")).isEqualTo("dns; relay.test");
        assertThat(dsn.recipients()).hasSize(1); // only the failed recipient is reported
        Map<String, String> failed = dsn.recipient("nobody@example.net");
        assertThat(failed.get("action")).isEqualTo("failed");
        assertThat(failed.get("status")).isEqualTo("5.1.1");
        assertThat(failed.get("remote-mta")).isEqualTo("dns; 127.0.0.1");
        assertThat(failed.get("diagnostic-code")).startsWith("smtp;").contains("550 5.1.1").contains("user unknown");
        // Without RET, a failure returns the whole message.
        assertThat(dsn.returnedType()).startsWith("message/rfc822");
        assertThat(dsn.returned()).contains("Subject: retry me").contains("body");

        // Wait a little: the DSN itself must not be retried or bounced, nor the message re-sent.
        Thread.sleep(2500);
        assertThat(receiver.messagesFor("later@example.net")).hasSize(1);
        assertThat(receiver.messagesFor("sender@example.org")).hasSize(1);
        assertThat(spool.queueIds()).isEmpty();
    }
}
