package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.DsnReport;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A recipient that is deferred for ever: after {@code warn-after} the sender gets one delay notice
 * ({@code Action: delayed}), after {@code lifetime} a failure report with the last error. Mail
 * from the null sender that fails is dropped without a bounce.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=500ms",
        "postern.queue.max-backoff=1s",
        "postern.queue.warn-after=1s",
        "postern.queue.lifetime=5s",
})
class DelayNoticeAndExpiryScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked().onRcpt(rcpt -> switch (rcpt) {
        case "busy@example.net" -> "452 4.2.2 mailbox full";
        case "gone@example.net" -> "550 5.1.1 no such user";
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
    void delayNoticeThenExpiryBounce() throws Exception {
        String id = send("sender@example.org", List.of("busy@example.net"), "Subject: slow\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messagesFor("sender@example.org").size() == 2,
                "a delay notice and then the failure report");
        awaitRemoved(id, Duration.ofSeconds(10));

        DsnReport delay = DsnReport.parse(receiver.messagesFor("sender@example.org").get(0).data());
        Map<String, String> delayed = delay.recipient("busy@example.net");
        assertThat(delayed.get("action")).isEqualTo("delayed");
        assertThat(delayed.get("status")).isEqualTo("4.2.2");
        assertThat(delayed).containsKey("will-retry-until");
        // A delay notice returns only the headers unless RET=FULL.
        assertThat(delay.returnedType()).startsWith("text/rfc822-headers");

        DsnReport expired = DsnReport.parse(receiver.messagesFor("sender@example.org").get(1).data());
        Map<String, String> failed = expired.recipient("busy@example.net");
        assertThat(failed.get("action")).isEqualTo("failed");
        assertThat(failed.get("diagnostic-code")).contains("delivery time expired").contains("452 4.2.2 mailbox full");
        assertThat(receiver.messagesFor("busy@example.net")).isEmpty();
    }

    @Test
    void failedMailFromTheNullSenderIsNeverBounced() throws Exception {
        String id;
        try (SmtpTestClient client = connectEhlo()) {
            SmtpTestClient.Reply r = client.sendMessage("", List.of("gone@example.net"),
                    "Subject: a bounce\r\n\r\nbody\r\n");
            assertThat(r.code()).isEqualTo(250);
            id = SmtpTestClient.queueId(r);
        }
        awaitRemoved(id, Duration.ofSeconds(20));
        Thread.sleep(1000);
        assertThat(receiver.commands()).noneMatch(c -> c.startsWith("RCPT TO:<>"));
        assertThat(spool.queueIds()).doesNotContain(id + "-D");
    }
}
