package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An 8-bit message to a next hop without 8BITMIME arrives converted to 7-bit MIME (RFC 6152 §3),
 * and decodes back to the same text. Through the esmtp mailer: the smart host's default, relay,
 * has flag 8 (as in sendmail's smtp.m4) and sends 8-bit data as it is (see MailerEightBitScenarioTest).
 */
@DirtiesContext
class EightBitDowngradeScenarioTest extends PosternTest {

    static final TestMailReceiver receiver = TestMailReceiver.unchecked().eightBitMime(false);

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.smart-host", () -> "esmtp:" + receiver.smartHost());
    }

    @AfterAll
    static void closeReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void eightBitContentIsConvertedForASevenBitNextHop() throws Exception {
        String body = "Grüße aus Köln — ça marche.\r\n";
        String id;
        try (SmtpTestClient client = connectEhlo()) {
            assertThat(client.command("MAIL FROM:<app@example.org> BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<someone@example.net>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send(("Subject: umlauts\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + ".\r\n").getBytes(StandardCharsets.UTF_8));
            SmtpTestClient.Reply r = client.read();
            assertThat(r.code()).isEqualTo(250);
            id = SmtpTestClient.queueId(r);
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
        awaitRemoved(id, Duration.ofSeconds(10));
        byte[] data = receiver.messages().get(0).data();
        for (byte b : data) {
            assertThat(b & 0xff).as("every octet is 7-bit").isLessThan(128);
        }
        assertThat(receiver.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<app@example.org>")
                && !c.contains("BODY=8BITMIME"));
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
        assertThat(m.getEncoding()).isEqualTo("quoted-printable");
        // The relay mailer (flags D, F, M) added the header fields the message lacked, before the downgrade.
        assertThat(m.getHeader("Message-Id")).singleElement().asString().endsWith("." + id + "@relay.test>");
        assertThat(m.getHeader("Date")).hasSize(1);
        assertThat(((String) m.getContent()).replace("\r\n", "\n")).isEqualTo(body.replace("\r\n", "\n"));
    }
}
