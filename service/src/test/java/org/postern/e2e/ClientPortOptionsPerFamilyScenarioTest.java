package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.smtp.server.SelfSignedCertificate;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A ClientPortOptions restriction affects only its family: modifier {@code S} on the inet6 entry
 * keeps STARTTLS off the connection to a next hop on ::1, while the one to 127.0.0.1 (inet entry,
 * no modifiers) uses STARTTLS; both receivers offer it.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.client-ports[0].family=inet",
        "postern.client-ports[1].family=inet6",
        "postern.client-ports[1].modifiers=S",
})
class ClientPortOptionsPerFamilyScenarioTest extends PosternTest {

    static final TestMailReceiver v4 = TestMailReceiver.unchecked("127.0.0.1")
            .startTls(SelfSignedCertificate.sslContext("receiver.test"));
    static final TestMailReceiver v6 = TestMailReceiver.unchecked("::1")
            .startTls(SelfSignedCertificate.sslContext("receiver.test"));

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains[v4.test]", () -> "esmtp:[127.0.0.1]:" + v4.port());
        registry.add("postern.routing.domains[v6.test]", () -> "esmtp:[IPv6:::1]:" + v6.port());
    }

    @AfterAll
    static void close() throws Exception {
        v4.close();
        v6.close();
    }

    @Test
    void noStartTlsOnInet6OnlyLeavesInetAlone() throws Exception {
        String id = send("app@example.org", List.of("a@v4.test", "b@v6.test"), "Subject: families\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> v4.messages().size() == 1 && v6.messages().size() == 1,
                "delivery over both families");
        assertThat(v6.clientAddresses()).containsOnly("0:0:0:0:0:0:0:1");
        assertThat(v6.commands()).noneMatch(c -> c.startsWith("STARTTLS"));
        assertThat(v6.messages().get(0).tls()).isFalse();
        assertThat(v4.commands()).contains("STARTTLS");
        assertThat(v4.messages().get(0).tls()).isTrue();
        awaitRemoved(id, Duration.ofSeconds(10));
    }
}
