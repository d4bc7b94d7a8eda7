package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * A mailer's S= and R=: the smart host's relay mailer masquerades the sender (envelope with
 * {@code Masq}, as FEATURE(masquerade_envelope); headers with {@code MasqHdr}) and maps recipients
 * through a genericstable ({@code R=Generics}, envelope and headers). The next hop sees the
 * rewritten addresses; the spool and the DSNs keep the ones received; a header that does not parse
 * and the null sender of a bounce pass unchanged.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.rewriting.Masq.masquerade.as=example.com",
        "postern.rewriting.Masq.masquerade.domains=mail.example.com",
        "postern.rewriting.MasqHdr.masquerade.as=example.com",
        "postern.rewriting.MasqHdr.masquerade.domains=mail.example.com,example.com",
        "postern.rewriting.MasqHdr.masquerade.entire-domain=true",
        "postern.rewriting.MasqHdr.masquerade.exposed-users=root",
        "postern.rewriting.Generics.generics.domains=example.net",
        "postern.rewriting.Generics.generics.entries[0]=bob robert.jones@example.org",
        "postern.rewriting.Generics.generics.entries[1]=dave+* david+%1@example.org",
        "postern.rewriting.Generics.generics.entries[2]=gone rejected@example.org",
        "postern.mailers.relay.sender=Masq/MasqHdr",
        "postern.mailers.relay.recipient=Generics",
})
class AddressRewritingScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> rcpt.equals("rejected@example.org") ? "550 5.1.1 no such user" : "250 2.1.5 OK");

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", receiver::smartHost);
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    private TestMailReceiver.Message deliveredTo(String rcpt) throws InterruptedException {
        TestMailReceiver.await(Duration.ofSeconds(20), () -> !receiver.messagesFor(rcpt).isEmpty(), "delivery to " + rcpt);
        return receiver.messagesFor(rcpt).get(0);
    }

    @Test
    void senderIsMasqueradedAndRecipientsGoThroughTheGenericsTable() throws Exception {
        String id = send("alice@mail.example.com", List.of("bob@example.net", "dave+news@example.net",
                "erin@example.org"), """
                From: Alice <alice@mail.example.com>\r
                Sender: root@host.mail.example.com\r
                Reply-To: "Sales, Alice" <sales@host.example.com>\r
                To: Bob <bob@example.net>, dave+news@example.net\r
                Cc: erin@example.org\r
                Subject: for alice@mail.example.com\r
                \r
                From: alice@mail.example.com stays in the body\r
                """);
        TestMailReceiver.Message m = deliveredTo("robert.jones@example.org");
        assertThat(m.mailFrom()).isEqualTo("alice@example.com");
        assertThat(m.rcptTo()).containsExactly("robert.jones@example.org", "david+news@example.org",
                "erin@example.org");
        assertThat(m.text())
                .contains("\r\nFrom: Alice <alice@example.com>\r\n")
                .contains("\r\nSender: root@host.mail.example.com\r\n") // EXPOSED_USER
                .contains("\r\nReply-To: \"Sales, Alice\" <sales@example.com>\r\n")
                .contains("\r\nTo: Bob <robert.jones@example.org>, david+news@example.org\r\n")
                .contains("\r\nCc: erin@example.org\r\n")
                .contains("\r\nSubject: for alice@mail.example.com\r\n")
                .endsWith("\r\n\r\nFrom: alice@mail.example.com stays in the body\r\n");
        // RFC 3461 §4.2: a rewritten recipient carries the address Postern received as ORCPT
        assertThat(receiver.commands()).contains("RCPT TO:<robert.jones@example.org> ORCPT=rfc822;bob@example.net",
                "RCPT TO:<erin@example.org>");
        awaitRemoved(id, Duration.ofSeconds(10));
    }

    @Test
    void aSenderHeaderThatDoesNotParsePassesUnchanged() throws Exception {
        String broken = "From: Alice Smith alice@mail.example.com (no angle brackets)\r\n";
        send("alice@mail.example.com", List.of("unparsed@example.org"),
                broken + "Sender: <alice@mail.example.com>\r\nSubject: broken\r\n\r\nbody\r\n");
        TestMailReceiver.Message m = deliveredTo("unparsed@example.org");
        assertThat(m.text()).contains("\r\n" + broken).contains("\r\nSender: <alice@example.com>\r\n");
    }

    @Test
    void theBounceNamesTheReceivedRecipientAndItsNullSenderIsNotRewritten() throws Exception {
        String id = send("alice@mail.example.com", List.of("gone@example.net"),
                "From: alice@mail.example.com\r\nTo: gone@example.net\r\nSubject: bounce me\r\n\r\nbody\r\n");
        // the bounce goes back to the sender through the smart host, from <>
        TestMailReceiver.Message bounce = deliveredTo("alice@mail.example.com");
        assertThat(bounce.mailFrom()).isEmpty();
        DsnReport dsn = DsnReport.parse(bounce.data());
        Map<String, String> report = dsn.recipient("gone@example.net");
        assertThat(report.get("final-recipient")).isEqualToIgnoringCase("rfc822; gone@example.net");
        assertThat(report.get("action")).isEqualTo("failed");
        assertThat(report.get("status")).isEqualTo("5.1.1");
        assertThat(new String(bounce.data(), StandardCharsets.UTF_8)).doesNotContain("Final-Recipient: rfc822;rejected");
        awaitRemoved(id, Duration.ofSeconds(10));
    }
}
