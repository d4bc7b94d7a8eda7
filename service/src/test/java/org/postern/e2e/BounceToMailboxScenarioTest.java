package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.DsnReport;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpSink;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A 5xx bounce arrives at the sender's own mail server — Postfix's {@code smtp-sink}, a real SMTP
 * server — as a DSN from the null sender that a mail client parses. (GreenMail 2.1 cannot be the
 * sender's server here: it answers RCPT after {@code MAIL FROM:<>} with 503.)
 */
@DirtiesContext
class BounceToMailboxScenarioTest extends PosternTest {

    static final SmtpSink mailbox = startSink();
    static final TestMailReceiver recipientHost = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> "550 5.1.1 <" + rcpt + ">: recipient address rejected");

    static SmtpSink startSink() {
        if (!SmtpSink.installed()) {
            return null;
        }
        try {
            return SmtpSink.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[example.net]", () -> "esmtp:" + recipientHost.smartHost());
        registry.add("postern.routing.domains.[example.org]",
                () -> "esmtp:[127.0.0.1]:" + (mailbox == null ? 1 : mailbox.port()));
    }

    @AfterAll
    static void close() throws Exception {
        recipientHost.close();
        if (mailbox != null) {
            mailbox.close();
        }
    }

    @Test
    void theBounceLandsInTheSendersMailbox() throws Exception {
        assumeTrue(mailbox != null, "Postfix's smtp-sink is not installed (.ci/run installs it)");
        String id = send("alice@example.org", List.of("bob@example.net"),
                "Subject: hello Bob\r\nMessage-ID: <hello@example.org>\r\n\r\nHi Bob.\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20), () -> dumps().size() == 1, "the DSN");
        awaitRemoved(id, Duration.ofSeconds(10));
        // smtp-sink creates the dump at MAIL and writes it out at the final dot, before its 250; the
        // DSN leaves our spool only after that 250, so the dump is complete once it has.
        awaitRemoved(id + "-D", Duration.ofSeconds(10));

        String dump = dumps().get(0);
        assertThat(dump).contains("X-Mail-Args: <>").contains("X-Rcpt-Args: <alice@example.org>");
        DsnReport dsn = DsnReport.parse(dump.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(dsn.message().getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(dsn.message().getHeader("To", null)).contains("alice@example.org");
        assertThat(dsn.recipient("bob@example.net").get("status")).isEqualTo("5.1.1");
        assertThat(dsn.recipient("bob@example.net").get("diagnostic-code")).contains("recipient address rejected");
        assertThat(dsn.returned()).contains("Subject: hello Bob").contains("Hi Bob.");
    }

    private static List<String> dumps() {
        try {
            return mailbox.dumps();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
