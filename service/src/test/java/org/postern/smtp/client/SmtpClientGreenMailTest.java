package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.smtp.client.ClientTestSupport.QUICK;
import static org.postern.smtp.client.ClientTestSupport.message;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real SMTP server (GreenMail on 127.0.0.1): several recipients, several transactions. */
class SmtpClientGreenMailTest {

    private GreenMail greenMail;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private ConnectRequest request() throws Exception {
        return ConnectRequest.to(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), greenMail.getSmtp().getPort()),
                "client.test");
    }

    @Test
    void severalRecipientsInOneTransactionAndSeveralTransactionsOnOneConnection() throws Exception {
        SmtpClient client = new SmtpClient(QUICK, null);
        try (SmtpClientSession session = client.connect(request())) {
            TransactionResult first = session.send(message("sender@example.org",
                    "From: sender@example.org\r\nSubject: first\r\n\r\n.leading dot\r\nbody one\r\n",
                    "alice@example.net", "bob@example.net"));
            assertThat(first.delivered(0)).isTrue();
            assertThat(first.delivered(1)).isTrue();
            assertThat(session.isReusable()).isTrue();

            TransactionResult second = session.send(message("sender@example.org",
                    "From: sender@example.org\r\nSubject: second\r\n\r\nbody two\r\n", "carol@example.net"));
            assertThat(second.delivered(0)).isTrue();
            session.quit();
        }
        assertThat(greenMail.waitForIncomingEmail(5000, 3)).isTrue();
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(3);
        List<String> subjects = Arrays.stream(received).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(subjects).containsExactlyInAnyOrder("first", "first", "second");
        String body = (String) received[0].getContent();
        assertThat(body).startsWith(".leading dot\r\nbody one"); // dot-stuffed on the wire, unstuffed by the server
        // GreenMail delivers to one mailbox per envelope recipient
        for (String rcpt : List.of("alice@example.net", "bob@example.net", "carol@example.net")) {
            assertThat(greenMail.getUserManager().getUserByEmail(rcpt)).as(rcpt).isNotNull();
        }
    }
}
