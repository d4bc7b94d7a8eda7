package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.macro.StandardMacros;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.spool.RecipientState;
import org.postern.spool.SpooledMessage;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;

/** A client on loopback sends one message over plain SMTP; it lands in the spool with its envelope. */
class PlainRelayScenarioTest extends PosternTest {

    @Test
    void acceptedMessageIsSpooledWithEnvelopeAndReceivedHeader() throws Exception {
        try (SmtpTestClient client = connect()) {
            Reply greeting = client.greeting();
            assertThat(greeting.code()).isEqualTo(220);
            assertThat(greeting.text()).startsWith("relay.test ESMTP");

            Reply ehlo = client.ehlo("app.example");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).contains("PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES",
                    "CHUNKING", "DSN", "STARTTLS", "SIZE 36700160");

            assertThat(client.command("MAIL FROM:<app@example.com> RET=HDRS ENVID=abc+2B1").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<one@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;one@example.net")
                    .code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<two@example.org>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send("Subject: hello\r\n\r\n..leading dot\r\nbody\r\n.\r\n");
            Reply queued = client.read();
            assertThat(queued.code()).isEqualTo(250);
            assertThat(queued.enhanced()).isEqualTo("2.0.0");
            String queueId = queued.text().substring(queued.text().lastIndexOf(' ') + 1);

            SpooledMessage stored = spool.read(queueId);
            assertThat(stored.envelope().sender().toString()).isEqualTo("app@example.com");
            assertThat(stored.envelope().recipients()).hasSize(2);
            assertThat(stored.envelope().recipients().get(0).dsnNotify())
                    .containsExactlyInAnyOrder(DsnNotify.SUCCESS, DsnNotify.FAILURE);
            assertThat(stored.envelope().recipients().get(0).orcpt()).isEqualTo("rfc822;one@example.net");
            assertThat(stored.envelope().ret()).isEqualTo(DsnReturn.HDRS);
            assertThat(stored.envelope().envId()).isEqualTo("abc+2B1");
            assertThat(stored.envelope().heloName()).isEqualTo("app.example");
            assertThat(stored.envelope().clientAddress()).isEqualTo("127.0.0.1");
            assertThat(stored.envelope().protocol()).isEqualTo("ESMTP");
            assertThat(stored.envelope().listener()).isEqualTo("MTA");
            assertThat(stored.states()).containsOnly(RecipientState.PENDING);

            String content;
            try (InputStream in = spool.openContent(queueId)) {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // sendmail's Received template (proto.m4), the default H rule.
            assertThat(content).startsWith("Received: from app.example ([127.0.0.1])\r\n\tby relay.test (Postern-"
                    + StandardMacros.VERSION + "/" + StandardMacros.VERSION + ") with ESMTP id " + queueId + ";\r\n\t");
            assertThat(content).endsWith("Subject: hello\r\n\r\n.leading dot\r\nbody\r\n");

            assertThat(client.command("QUIT").code()).isEqualTo(221);
        }
    }

    @Test
    void singleRecipientIsNamedInReceivedHeader() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            Reply queued = client.sendMessage("a@example.com", List.of("b@example.net"), "Subject: x\r\n\r\nhi");
            assertThat(queued.code()).isEqualTo(250);
            String queueId = queued.text().substring(queued.text().lastIndexOf(' ') + 1);
            try (InputStream in = spool.openContent(queueId)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("\r\n\tfor <b@example.net>;");
            }
        }
    }
}
