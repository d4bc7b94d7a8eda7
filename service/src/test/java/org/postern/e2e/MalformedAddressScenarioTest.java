package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;
import static org.postern.testing.SmtpAssertions.recipients;

import org.junit.jupiter.api.Test;
import org.postern.macro.StandardMacros;
import org.postern.smtp.Envelope;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * What a client gets for malformed or out-of-order commands: address syntax (brackets, the null
 * path, unqualified and non-ASCII addresses), parameters, command sequence, the informational verbs,
 * and an old HELO client, which gets plain RFC 5321 replies without enhanced status codes. A second
 * listener with modifier {@code u} accepts unqualified addresses.
 */
@TestPropertySource(properties = {
        "postern.daemon-ports[1].name=UNQ",
        "postern.daemon-ports[1].addr=127.0.0.1",
        "postern.daemon-ports[1].port=0",
        "postern.daemon-ports[1].modifiers=u",
})
class MalformedAddressScenarioTest extends PosternTest {

    @Test
    void pathsWithoutAngleBracketsAreSyntaxErrors() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:a@example.com"), 501, "5.1.7");
            assertReply(client.command("MAIL FROM:<a@example.com"), 501, "5.1.7");
            assertReply(client.command("MAIL FROM:<a@example.com>garbage"), 501, "5.1.7");
            assertReply(client.command("MAIL FROM:<a@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:b@example.net"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<b@@example.net>"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<" + "l".repeat(65) + "@example.net>"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<b@example.net>"), 250, "2.1.5");
        }
    }

    @Test
    void nullPathIsASenderButNeverARecipient() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<>"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: bounce\r\n\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            assertThat(spool.read(SmtpTestClient.queueId(queued)).envelope().sender().isNullSender()).isTrue();
        }
    }

    @Test
    void unqualifiedAddressesAreRefusedUnlessTheListenerHasModifierU() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<user>"), 553, "5.1.3");
            assertReply(client.command("MAIL FROM:<user@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<postmaster>"), 553, "5.1.3");
        }
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("UNQ"))) {
            client.greeting();
            client.ehlo("client.test");
            assertReply(client.command("MAIL FROM:<user>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<postmaster>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: local\r\n\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            Envelope envelope = spool.read(SmtpTestClient.queueId(queued)).envelope();
            assertThat(envelope.sender().toString()).isEqualTo("user");
            assertThat(envelope.sender().isQualified()).isFalse();
            assertThat(recipients(envelope)).containsExactly("postmaster");
            assertThat(envelope.listener()).isEqualTo("UNQ");
        }
    }

    @Test
    void nonAsciiAddressesNeedSmtpUtf8() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<j\u00f6ran@example.com>"), 553, "5.6.7");
            assertReply(client.command("MAIL FROM:<a@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a>"), 553, "5.6.7");
            assertReply(client.command("RSET"), 250, "2.0.0");

            assertReply(client.command("MAIL FROM:<j\u00f6ran@example.com> SMTPUTF8"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: =?UTF-8?Q?gr=C3=BC=C3=9Fe?=\r\n\r\nGr\u00fc\u00dfe\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, "2.0.0");
            String id = SmtpTestClient.queueId(queued);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.protocol()).isEqualTo("UTF8SMTP");
            assertThat(envelope.smtpUtf8()).isTrue();
            assertThat(envelope.sender().toString()).isEqualTo("j\u00f6ran@example.com");
            assertThat(recipients(envelope)).containsExactly("\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a");
            assertThat(content(id)).contains("with UTF8SMTP id " + id);
        }
    }

    @Test
    void unknownParametersAreRefused() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<a@example.com> FOO=bar"), 555, "5.5.4");
            assertReply(client.command("MAIL FROM:<a@example.com> BODY=9BIT"), 555, "5.5.4");
            assertReply(client.command("MAIL FROM:<a@example.com> BODY=8BITMIME"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<b@example.net> FOO"), 555, "5.5.4");
            assertReply(client.command("RCPT TO:<b@example.net> NOTIFY=SOMETIMES"), 501, "5.5.4");
            assertReply(client.command("RCPT TO:<b@example.net> NOTIFY=NEVER"), 250, "2.1.5");
        }
    }

    @Test
    void commandsOutOfSequence() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            Reply early = client.command("MAIL FROM:<a@example.com>");
            assertReply(early, 503, null); // no enhanced status codes before EHLO
            assertThat(early.text()).isEqualTo("Send EHLO or HELO first");
            assertReply(client.command("EHLO"), 501, null);
            client.ehlo("client.test");
            assertReply(client.command("RCPT TO:<b@example.net>"), 503, "5.5.1");
            assertReply(client.command("DATA"), 503, "5.5.1");
            assertReply(client.command("MAIL FROM:<a@example.com>"), 250, "2.1.0");
            assertReply(client.command("MAIL FROM:<a@example.com>"), 503, "5.5.1");
            assertReply(client.command("DATA"), 503, "5.5.1");
            assertReply(client.command("RCPT TO:<b@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA now"), 501, "5.5.4");
            assertReply(client.command("DATA"), 354, null);
        }
    }

    @Test
    void informationalAndUnknownVerbs() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("VRFY postmaster"), 252, "2.5.0");
            assertReply(client.command("VRFY"), 501, "5.5.4");
            Reply help = client.command("HELP");
            assertReply(help, 214, "2.0.0");
            assertThat(help.text()).contains("EHLO", "MAIL", "BDAT");
            assertReply(client.command("EXPN staff"), 502, "5.5.1");
            assertReply(client.command("ETRN example.com"), 502, "5.5.1");
            assertReply(client.command("FROBNICATE"), 500, "5.5.2");
            assertReply(client.command("noop"), 250, "2.0.0"); // verbs are case-insensitive
        }
    }

    @Test
    void heloClientGetsPlainRepliesAndProtocolSmtp() throws Exception {
        try (SmtpTestClient client = connect()) {
            client.greeting();
            Reply helo = client.command("HELO old.client.test");
            assertReply(helo, 250, null);
            assertThat(helo.lines()).containsExactly("relay.test greets old.client.test");

            Reply sender = client.command("MAIL FROM:<old@example.com>");
            assertReply(sender, 250, null);
            assertThat(sender.text()).isEqualTo("Sender OK");
            assertReply(client.command("RCPT TO:<>"), 501, null);
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, null);
            assertReply(client.command("FROB"), 500, null);
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: old\r\n\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertReply(queued, 250, null);
            assertThat(queued.text()).startsWith("OK queued as ");
            String id = SmtpTestClient.queueId(queued);
            Envelope envelope = spool.read(id).envelope();
            assertThat(envelope.protocol()).isEqualTo("SMTP");
            assertThat(envelope.heloName()).isEqualTo("old.client.test");
            assertThat(content(id)).startsWith("Received: from old.client.test ([127.0.0.1])\r\n\tby relay.test (Postern-"
                    + StandardMacros.VERSION + "/" + StandardMacros.VERSION + ") with SMTP id " + id
                    + "\r\n\tfor <r@example.net>; ");
            assertReply(client.command("QUIT"), 221, null);
        }
    }
}
