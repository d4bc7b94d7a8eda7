package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.smtp.server.SelfSignedCertificate;
import org.postern.testing.LoopbackDnsServer;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * ClientPortOptions for inet: outbound connections come from the configured source address, EHLO
 * names that interface (its PTR name, looked up in DNS), and modifiers A and S keep AUTH and
 * STARTTLS off even though the next hop offers both and credentials are configured.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.client-ports[0].family=inet",
        "postern.client-ports[0].addr=127.0.0.5",
        "postern.client-ports[0].modifiers=hAS",
        "postern.routing.auth.[127.0.0.1].username=postern",
        "postern.routing.auth.[127.0.0.1].password=never-sent",
})
class ClientPortOptionsScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked()
            .startTls(SelfSignedCertificate.sslContext("receiver.test"));
    static final LoopbackDnsServer dns = startDns();

    static LoopbackDnsServer startDns() {
        try {
            return new LoopbackDnsServer().start().addPtr("127.0.0.5", "out.relay.example");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
        registry.add("postern.dns.servers", dns::hostPort);
    }

    @AfterAll
    static void close() throws Exception {
        receiver.close();
        dns.close();
    }

    @Test
    void bindsNamesTheInterfaceAndHonoursModifiers() throws Exception {
        String id = send("app@example.org", List.of("someone@example.net"), "Subject: client ports\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(receiver.clientAddresses()).containsOnly("127.0.0.5");
        assertThat(receiver.commands()).contains("EHLO out.relay.example");
        assertThat(receiver.commands()).noneMatch(c -> c.startsWith("STARTTLS") || c.startsWith("AUTH"));
        assertThat(receiver.messages().get(0).tls()).isFalse();
    }
}
