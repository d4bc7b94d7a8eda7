package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.smtp.server.SelfSignedCertificate;
import org.postern.spool.RecipientState;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * STARTTLS to next hops: opportunistic by default (a self-signed certificate is fine, the session
 * is encrypted), and a route whose policy is {@code required} refuses a receiver whose certificate
 * it cannot verify: the mail is deferred and never sent in the clear.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=10m",
        "postern.queue.max-backoff=1h",
        "postern.routing.tls.policies.[127.0.0.2]=required",
})
class TlsRequiredRouteScenarioTest extends PosternTest {

    static final TestMailReceiver opportunistic = TestMailReceiver.unchecked("127.0.0.1")
            .startTls(SelfSignedCertificate.sslContext("receiver.test"));
    static final TestMailReceiver strict = TestMailReceiver.unchecked("127.0.0.2")
            .startTls(SelfSignedCertificate.sslContext("receiver.test"));

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[open.test]", () -> "relay:" + opportunistic.smartHost());
        registry.add("postern.routing.domains.[strict.test]", () -> "relay:" + strict.smartHost());
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        opportunistic.close();
        strict.close();
    }

    @Test
    void opportunisticTlsAcceptsAnyCertificate() throws Exception {
        String id = send("app@example.org", List.of("a@open.test"), "Subject: tls\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> opportunistic.messages().size() == 1, "delivery");
        assertThat(opportunistic.messages().get(0).tls()).isTrue();
        awaitRemoved(id, Duration.ofSeconds(10));
    }

    @Test
    void requiredTlsRefusesAnUnverifiableCertificate() throws Exception {
        String id = send("app@example.org", List.of("b@strict.test"), "Subject: tls\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20));
        assertThat(spool.read(id).states()).containsExactly(RecipientState.PENDING);
        assertThat(strict.commands()).contains("STARTTLS");
        assertThat(strict.commands()).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(strict.messages()).isEmpty();
    }
}
