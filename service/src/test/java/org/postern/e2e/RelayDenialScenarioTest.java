package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * No open relay: with {@code postern.policy.relay-networks=127.0.0.2/32, ::1/128}, a client on
 * 127.0.0.1 is refused 550 5.7.1 for every recipient, whatever address trick it tries (percent
 * hack, bang path, quoted local part with an @, source routes); a client on 127.0.0.2 relays. A
 * second listener on ::1 (family inet6, optional) relays for an IPv6 client in the relay networks.
 */
@TestPropertySource(properties = {
        "postern.policy.relay-networks=127.0.0.2/32,::1/128",
        "postern.daemon-ports[1].name=MTA6",
        "postern.daemon-ports[1].addr=::1",
        "postern.daemon-ports[1].family=inet6",
        "postern.daemon-ports[1].port=0",
        "postern.daemon-ports[1].modifiers=O",
})
class RelayDenialScenarioTest extends PosternTest {

    /** Each recipient and the mailbox it is stored as when relaying is allowed. */
    private static final String TRICKS = """
            user@example.com,                        user@example.com
            USER@EXAMPLE.COM,                        USER@EXAMPLE.COM
            user%other@example.com,                  user%other@example.com
            a!b@example.com,                         a!b@example.com
            '"x@y"@example.com',                     '"x@y"@example.com'
            @hop.example:user@example.com,           user@example.com
            '@one.example,@two.example:user@example.com', user@example.com
            user@[127.0.0.1],                        user@[127.0.0.1]
            postmaster@example.com,                  postmaster@example.com
            """;

    @ParameterizedTest(name = "RCPT TO:<{0}>")
    @CsvSource(textBlock = TRICKS)
    void clientOutsideTheRelayNetworksIsDenied(String recipient, String stored) throws Exception {
        Set<String> before = queued();
        try (SmtpTestClient client = SmtpTestClient.connectFrom("127.0.0.1", smtpPort())) {
            client.greeting();
            client.ehlo("outside.test");
            assertReply(client.command("MAIL FROM:<someone@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<" + recipient + ">"), 550, "5.7.1");
            assertReply(client.command("DATA"), 503, "5.5.1");
        }
        assertThat(queued()).isEqualTo(before);
    }

    @ParameterizedTest(name = "RCPT TO:<{0}>")
    @CsvSource(textBlock = TRICKS)
    void clientInTheRelayNetworksRelays(String recipient, String stored) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connectFrom("127.0.0.2", smtpPort())) {
            client.greeting();
            client.ehlo("inside.test");
            assertReply(client.command("MAIL FROM:<someone@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<" + recipient + ">"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: relayed\r\n\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            Envelope envelope = spool.read(SmtpTestClient.queueId(queued)).envelope();
            assertThat(recipients(envelope)).containsExactly(stored);
            assertThat(envelope.clientAddress()).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void nothingFromTheDeniedClientIsEverSpooled() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connectFrom("127.0.0.1", smtpPort())) {
            client.greeting();
            client.ehlo("outside.test");
            // Pipelined, as a spammer would: every RCPT refused, so DATA is refused and the
            // content that follows is read as (unknown) commands, never as a message.
            client.send("MAIL FROM:<spam@example.com>\r\n"
                    + "RCPT TO:<a@example.net>\r\n"
                    + "RCPT TO:<b@example.org>\r\n"
                    + "DATA\r\n");
            assertReply(client.read(), 250, "2.1.0");
            assertReply(client.read(), 550, "5.7.1");
            assertReply(client.read(), 550, "5.7.1");
            assertReply(client.read(), 503, "5.5.1");
        }
        assertThat(envelopes()).noneMatch(e -> e.clientAddress().equals("127.0.0.1"));
    }

    @Test
    void ipv6ClientInTheRelayNetworksRelaysThroughTheInet6Listener() throws Exception {
        assumeTrue(ipv6LoopbackAvailable(), "::1 is not available on this machine");
        int port = smtpServer.localPort("MTA6");
        assertThat(port).as("the optional inet6 listener on ::1 is bound").isPositive();
        try (SmtpTestClient client = new SmtpTestClient("::1", port)) {
            assertThat(client.greeting().code()).isEqualTo(220);
            assertReply(client.ehlo("v6.test"), 250, null);
            Reply queued = client.sendMessage("six@example.com", List.of("r@example.net"), "Subject: v6\r\n\r\nbody");
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            Envelope envelope = spool.read(id).envelope();
            InetAddress client6 = InetAddress.getByName(envelope.clientAddress());
            assertThat(client6).isInstanceOf(Inet6Address.class);
            assertThat(client6.isLoopbackAddress()).isTrue();
            assertThat(envelope.listener()).isEqualTo("MTA6");
            assertThat(content(id)).startsWith("Received: from v6.test ([IPv6:" + envelope.clientAddress() + "])\r\n");
        }
    }

    private static boolean ipv6LoopbackAvailable() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
