package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * DaemonPortOptions modifier {@code b}: mail received on a listener with {@code b} leaves from the
 * address it came in on (127.0.0.1 or 127.0.0.2, both loopback on Linux), overriding the
 * ClientPortOptions source; mail from a listener without {@code b} leaves from the ClientPortOptions
 * source (127.0.0.5). The next hop sees each.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.client-ports[0].family=inet",
        "postern.client-ports[0].addr=127.0.0.5",
})
class BindToReceivingInterfaceScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked();

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
        // A list is bound from one property source, so every listener is declared here.
        String[][] listeners = {{"MTA", "127.0.0.1", ""}, {"VHOST1", "127.0.0.1", "b"}, {"VHOST2", "127.0.0.2", "Eb"}};
        for (int i = 0; i < listeners.length; i++) {
            String key = "postern.daemon-ports[" + i + "].";
            String[] l = listeners[i];
            registry.add(key + "name", () -> l[0]);
            registry.add(key + "addr", () -> l[1]);
            registry.add(key + "port", () -> 0);
            registry.add(key + "modifiers", () -> l[2]);
        }
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    private String sendVia(String listenerAddress, String listener, String rcpt) throws IOException {
        try (SmtpTestClient client = new SmtpTestClient(listenerAddress, smtpServer.localPort(listener), null, 10_000)) {
            client.greeting();
            client.ehlo("client.test");
            SmtpTestClient.Reply queued = client.sendMessage("app@example.org", List.of(rcpt),
                    "Subject: via " + listener + "\r\n\r\nbody\r\n");
            assertThat(queued.code()).as("reply from %s", listener).isEqualTo(250);
            return SmtpTestClient.queueId(queued);
        }
    }

    /** The address the receiver saw the connection carrying the message for {@code rcpt} come from. */
    private String sourceOf(String rcpt) throws InterruptedException {
        TestMailReceiver.await(Duration.ofSeconds(20), () -> !receiver.messagesFor(rcpt).isEmpty(), "delivery to " + rcpt);
        return receiver.clientAddresses().get(receiver.messagesFor(rcpt).get(0).connection() - 1);
    }

    @Test
    void eachListenerWithBSendsFromItsOwnAddressAndTheOthersFromClientPortOptions() throws Exception {
        String one = sendVia("127.0.0.1", "VHOST1", "one@example.net");
        String two = sendVia("127.0.0.2", "VHOST2", "two@example.net");
        String plain = sendVia("127.0.0.1", "MTA", "plain@example.net");

        assertThat(sourceOf("one@example.net")).isEqualTo("127.0.0.1");
        assertThat(sourceOf("two@example.net")).isEqualTo("127.0.0.2");
        assertThat(sourceOf("plain@example.net")).isEqualTo("127.0.0.5");
        for (String id : List.of(one, two, plain)) {
            awaitRemoved(id, Duration.ofSeconds(10));
        }
    }

    @Test
    void messagesFromDifferentSourcesNeverShareAConnection() throws Exception {
        // Sent back to back to the same next hop: connection reuse would put them on one session.
        sendVia("127.0.0.2", "VHOST2", "first@example.net");
        sendVia("127.0.0.1", "VHOST1", "second@example.net");
        sendVia("127.0.0.2", "VHOST2", "third@example.net");
        assertThat(sourceOf("first@example.net")).isEqualTo("127.0.0.2");
        assertThat(sourceOf("second@example.net")).isEqualTo("127.0.0.1");
        assertThat(sourceOf("third@example.net")).isEqualTo("127.0.0.2");
        assertThat(receiver.messagesFor("second@example.net").get(0).connection())
                .isNotIn(receiver.messagesFor("first@example.net").get(0).connection(),
                        receiver.messagesFor("third@example.net").get(0).connection());
    }
}
