package org.postern.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.spool.RecipientState;
import org.postern.testing.LoopbackDnsServer;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Delivery by MX when the resolver fails: it answers SERVFAIL, it does not answer at all (the
 * query times out), or it is down (nothing listens on its port). In each case the recipient is
 * deferred with 4.4.3 attempt after attempt, never bounced, and no DSN is queued; once the resolver
 * answers again the mail is delivered, once.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.routing.smart-host=",
        // One short query per lookup, and short retries: several attempts in a few seconds.
        "postern.dns.timeout=300ms",
        "postern.dns.attempts=1",
        "postern.queue.min-backoff=500ms",
        "postern.queue.max-backoff=1s",
})
class ResolverDownTest extends PosternTest {

    static final int ATTEMPTS = 4;

    /** The MX host of every domain here, the sender's included (where a DSN would go). */
    static final TestMailReceiver mx = TestMailReceiver.unchecked("127.0.0.3");
    static volatile LoopbackDnsServer dns = startDns(0);
    static final int DNS_PORT = dns.port();

    @LocalServerPort
    int httpPort;

    static LoopbackDnsServer startDns(int port) {
        try {
            LoopbackDnsServer server = port == 0 ? new LoopbackDnsServer().start() : new LoopbackDnsServer().start(port);
            for (String domain : List.of("servfail.test", "silent.test", "down.test", "sender.test")) {
                server.addMx(domain, 10, "mx.faults.test", 300);
            }
            return server.addA("mx.faults.test", "127.0.0.3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void dnsAndPort(DynamicPropertyRegistry registry) {
        registry.add("postern.dns.servers", () -> "127.0.0.1:" + DNS_PORT);
        registry.add("postern.mailers.esmtp.port", mx::port);
    }

    @AfterAll
    static void close() throws Exception {
        mx.close();
        dns.close();
    }

    @Test
    void servfailDefersUntilTheResolverAnswers() throws Exception {
        dns.servfail("servfail.test");
        String id = deferredRepeatedly("user@servfail.test", "DNS lookup failed, will retry");
        assertThat(dns.queries("servfail.test", "MX")).isGreaterThanOrEqualTo(ATTEMPTS);
        assertThat(PrometheusScrape.of(httpPort).sum("postern_dns_lookups_total", "outcome=\"servfail\""))
                .isGreaterThanOrEqualTo(ATTEMPTS);

        dns.answerNormally("servfail.test");
        deliveredOnce(id, "user@servfail.test");
    }

    @Test
    void aResolverThatDoesNotAnswerDefersUntilItDoes() throws Exception {
        dns.noAnswer("silent.test");
        String id = deferredRepeatedly("user@silent.test", "DNS lookup timed out, will retry");
        assertThat(PrometheusScrape.of(httpPort).sum("postern_dns_lookups_total", "outcome=\"timeout\""))
                .isGreaterThanOrEqualTo(ATTEMPTS);

        dns.answerNormally("silent.test");
        deliveredOnce(id, "user@silent.test");
    }

    @Test
    void aResolverThatIsDownDefersUntilItIsBack() throws Exception {
        dns.close(); // nothing listens on its UDP or TCP port now
        String id = deferredRepeatedly("user@down.test", null);

        dns = startDns(DNS_PORT);
        deliveredOnce(id, "user@down.test");
    }

    /**
     * Sends one message and waits for {@link #ATTEMPTS} attempts: the recipient stays pending with
     * 4.4.3 (and {@code reply}, when given), nothing failed and no DSN is in the spool.
     */
    private String deferredRepeatedly(String rcpt, String reply) throws Exception {
        String id = send("app@sender.test", List.of(rcpt), "Subject: dns\r\n\r\nbody\r\n");
        awaitAttempts(id, ATTEMPTS, Duration.ofSeconds(60));
        assertThat(spool.read(id).states()).containsExactly(RecipientState.PENDING);
        assertThat(queued()).as("no DSN queued beside the message").containsExactly(id);
        JsonNode recipient = QueueShow.of(httpPort, id).path("recipients").get(0);
        assertThat(recipient.path("status").asString()).isEqualTo("4.4.3");
        if (reply != null) {
            assertThat(recipient.path("reply").asString()).isEqualTo(reply);
        }
        assertThat(PrometheusScrape.of(httpPort).counter("postern_recipients_bounced_total")).isZero();
        assertThat(mx.messages()).noneMatch(m -> m.rcptTo().contains(rcpt));
        return id;
    }

    private void deliveredOnce(String id, String rcpt) throws Exception {
        TestMailReceiver.await(Duration.ofSeconds(30), () -> mx.messagesFor(rcpt).size() == 1, "delivery to " + rcpt);
        awaitRemoved(id, Duration.ofSeconds(10));
        Thread.sleep(1000); // a second delivery or a DSN would arrive now
        assertThat(mx.messagesFor(rcpt)).hasSize(1);
        assertThat(mx.messagesFor("app@sender.test")).as("no bounce or delay notice").isEmpty();
        assertThat(queued()).isEmpty();
        assertThat(PrometheusScrape.of(httpPort).counter("postern_recipients_bounced_total")).isZero();
    }
}
