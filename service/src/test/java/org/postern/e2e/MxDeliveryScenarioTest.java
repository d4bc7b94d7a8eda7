package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.DsnReport;
import org.postern.testing.LoopbackDnsServer;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Mail without a route goes to the recipient domain's MX hosts, looked up in a real DNS server on
 * loopback: the preferred MX refuses connections so the next one gets the mail; a null MX and a
 * domain that does not exist bounce (5.1.10, 5.1.2); a resolver that does not answer defers.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.routing.smart-host=",
        "postern.dns.timeout=300ms",
        "postern.dns.attempts=1",
        "postern.queue.min-backoff=1m",
})
class MxDeliveryScenarioTest extends PosternTest {

    /** The second MX host; the first (127.0.0.2, same port) has nothing listening. */
    static final TestMailReceiver mx2 = TestMailReceiver.unchecked("127.0.0.3");
    static final TestMailReceiver senderMx = TestMailReceiver.unchecked("127.0.0.4");
    static final LoopbackDnsServer dns = startDns();

    static LoopbackDnsServer startDns() {
        try {
            LoopbackDnsServer d = new LoopbackDnsServer().start();
            d.addMx("mx.test", 10, "mx1.mx.test", 300).addMx("mx.test", 20, "mx2.mx.test", 300)
                    .addA("mx1.mx.test", "127.0.0.2").addA("mx2.mx.test", "127.0.0.3")
                    .nullMx("nullmx.test")
                    .addMx("sender.test", 10, "mail.sender.test", 300).addA("mail.sender.test", "127.0.0.4")
                    .noAnswer("silent.test");
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void dnsAndPorts(DynamicPropertyRegistry registry) {
        registry.add("postern.dns.servers", dns::hostPort);
        registry.add("postern.mailers.esmtp.port", mx2::port);
        // senderMx must listen on the same port as mx2: the esmtp mailer has one port.
        registry.add("postern.routing.domains.[sender.test]", () -> "esmtp:[127.0.0.4]:" + senderMx.port());
    }

    @AfterAll
    static void close() throws Exception {
        mx2.close();
        senderMx.close();
        dns.close();
    }

    @Test
    void deliversToTheNextMxWhenThePreferredOneRefuses() throws Exception {
        String id = send("app@sender.test", List.of("user@mx.test"), "Subject: mx\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> mx2.messagesFor("user@mx.test").size() == 1, "delivery");
        awaitRemoved(id, Duration.ofSeconds(10));
        assertThat(dns.queries("mx.test", "MX")).isEqualTo(1);
    }

    @Test
    void nullMxAndNxdomainBounce() throws Exception {
        String id = send("app@sender.test", List.of("user@nullmx.test", "user@nowhere.test"),
                "Subject: doomed\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> senderMx.messagesFor("app@sender.test").size() == 1,
                "the DSN");
        awaitRemoved(id, Duration.ofSeconds(10));
        DsnReport dsn = DsnReport.parse(senderMx.messagesFor("app@sender.test").get(0).data());
        assertThat(dsn.recipient("user@nullmx.test").get("status")).isEqualTo("5.1.10");
        assertThat(dsn.recipient("user@nowhere.test").get("status")).isEqualTo("5.1.2");
        assertThat(dsn.recipient("user@nowhere.test").get("action")).isEqualTo("failed");
    }

    @Test
    void aResolverThatDoesNotAnswerDefers() throws Exception {
        String id = send("app@sender.test", List.of("user@silent.test"), "Subject: later\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20));
        assertThat(spool.read(id).states()).containsExactly(org.postern.spool.RecipientState.PENDING);
        Thread.sleep(500);
        assertThat(senderMx.messagesFor("app@sender.test")).noneMatch(m -> m.text().contains("user@silent.test"));
    }
}
