package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.DsnReport;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Per-domain routes (the mailertable): a leading dot covers subdomains, the longest match wins,
 * {@code error:} refuses with its status and text, {@code discard:} drops silently.
 */
@DirtiesContext
class DomainRoutesScenarioTest extends PosternTest {

    static final TestMailReceiver subdomains = TestMailReceiver.unchecked();
    static final TestMailReceiver deep = TestMailReceiver.unchecked();

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[.sub.test]", () -> "esmtp:" + subdomains.smartHost());
        registry.add("postern.routing.domains.[deep.sub.test]", () -> "relay:" + deep.smartHost());
        // The sender's own domain, so that its DSN can be watched arriving.
        registry.add("postern.routing.domains.[sender.test]", () -> deep.smartHost());
        registry.add("postern.routing.domains.[refused.test]", () -> "error:5.7.1:550 mail for refused.test is not accepted");
        registry.add("postern.routing.domains.[void.test]", () -> "discard:");
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        subdomains.close();
        deep.close();
    }

    @Test
    void routesByLongestDomainMatchAndHandlesErrorAndDiscard() throws Exception {
        String id = send("app@sender.test", List.of("a@x.sub.test", "b@deep.sub.test", "c@refused.test", "d@void.test"),
                "Subject: routes\r\n\r\nbody\r\n");

        TestMailReceiver.await(Duration.ofSeconds(20), () -> subdomains.messages().size() == 1
                && deep.messagesFor("b@deep.sub.test").size() == 1
                && deep.messagesFor("app@sender.test").size() == 1, "deliveries and the DSN");
        awaitRemoved(id, Duration.ofSeconds(10));

        assertThat(subdomains.messages().get(0).rcptTo()).containsExactly("a@x.sub.test");
        assertThat(deep.messagesFor("b@deep.sub.test").get(0).rcptTo()).containsExactly("b@deep.sub.test");
        DsnReport dsn = DsnReport.parse(deep.messagesFor("app@sender.test").get(0).data());
        assertThat(dsn.recipients()).hasSize(1);
        assertThat(dsn.recipient("c@refused.test").get("status")).isEqualTo("5.7.1");
        assertThat(dsn.recipient("c@refused.test").get("diagnostic-code")).contains("not accepted");
        // Nothing anywhere for the discarded recipient, and no report about it.
        assertThat(subdomains.commands()).noneMatch(c -> c.contains("void.test"));
        assertThat(deep.commands()).noneMatch(c -> c.contains("void.test"));
    }
}
