package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.e2e.SmugglingPayloads.FIRST_CONTENT;
import static org.postern.e2e.SmugglingPayloads.LEGIT_SENDER;
import static org.postern.e2e.SmugglingPayloads.SMUGGLED;
import static org.postern.e2e.SmugglingPayloads.SPOOFED_SENDER;
import static org.postern.e2e.SmugglingPayloads.VICTIM;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.e2e.SmugglingPayloads;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.context.TestPropertySource;

/**
 * Every published SMTP smuggling end-of-data variant ({@link SmugglingPayloads#variants()}: the SEC
 * Consult list, the Postfix, sendmail and Exim advisories, and the NUL forms), sent with DATA and with
 * BDAT (CHUNKING, the smuggled ending split across two chunks), in both
 * {@code postern.smtp.bare-line-endings} modes. Whatever the reply, the smuggled MAIL is never
 * answered, nothing from the spoofed sender or to the victim is spooled, and nothing reaches the
 * next hop: a message that is accepted arrives there as one message, with the smuggled commands as
 * its text, dot-stuffed, with no bare CR, bare LF or NUL that a laxer next hop could take for an end.
 *
 * <table>
 * <tr><th>variant</th><th>reject (default)</th><th>normalize</th></tr>
 * <tr><td>bare CR or LF, DATA</td><td>550 5.6.0, connection closed</td><td>250, stored as CRLF</td></tr>
 * <tr><td>bare CR or LF, BDAT</td><td>550 5.6.0, session goes on</td><td>250, stored as CRLF</td></tr>
 * <tr><td>NUL (no bare ending)</td><td>550 5.6.0, session goes on</td><td>550 5.6.0, session goes on</td></tr>
 * <tr><td>neither</td><td>250: it is content</td><td>250: it is content</td></tr>
 * </table>
 */
class SmugglingVariantsTest {

    /** The default: a bare CR or LF fails the message (and, in DATA, the session). */
    @Nested
    class RejectMode extends Scenarios {
        @Override
        boolean normalize() {
            return false;
        }
    }

    /** Bare CR and LF become CRLF in the stored content; only CRLF "." CRLF ends DATA. */
    @Nested
    @TestPropertySource(properties = "postern.smtp.bare-line-endings=normalize")
    class NormalizeMode extends Scenarios {
        @Override
        boolean normalize() {
            return true;
        }
    }

    abstract static class Scenarios extends HostileInputBase {

        abstract boolean normalize();

        @AfterEach
        void nothingSmuggled() throws Exception {
            assertNothingFrom(SPOOFED_SENDER);
            assertNothingTo(VICTIM);
        }

        @ParameterizedTest(name = "DATA {0}")
        @MethodSource("org.postern.e2e.SmugglingPayloads#variants")
        void withData(String name, String endOfData, boolean bare, boolean nul) throws Exception {
            String rcpt = uniqueRecipient();
            try (SmtpTestClient client = connectEhlo()) {
                assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
                assertReply(client.command("RCPT TO:<" + rcpt + ">"), 250, "2.1.5");
                assertReply(client.command("DATA"), 354, null);
                client.send(SmugglingPayloads.payload(endOfData));
                Reply reply = client.read();
                if (bare && !normalize()) {
                    assertReply(reply, 550, "5.6.0");
                    // Closed at once: nothing after the bare line ending was read as a command.
                    assertThat(new String(client.readToEnd(), StandardCharsets.ISO_8859_1)).as("after the 550").isEmpty();
                    return;
                }
                if (nul) {
                    assertReply(reply, 550, "5.6.0");
                    assertThat(reply.text()).contains("NUL");
                } else {
                    assertReply(reply, 250, "2.0.0");
                    SmtpTestClient.queueId(reply);
                    assertAcceptedAsOneMessage(rcpt, "smuggled body\r\n");
                }
                // One reply for the whole payload: the next is QUIT's, never one for the smuggled MAIL.
                assertReply(client.command("QUIT"), 221, "2.0.0");
                assertThat(client.readToEnd()).isEmpty();
            }
        }

        @ParameterizedTest(name = "BDAT {0}")
        @MethodSource("org.postern.e2e.SmugglingPayloads#variants")
        void withBdat(String name, String endOfData, boolean bare, boolean nul) throws Exception {
            String rcpt = uniqueRecipient();
            byte[] first = (FIRST_CONTENT + endOfData).getBytes(StandardCharsets.ISO_8859_1);
            byte[] second = SMUGGLED.getBytes(StandardCharsets.ISO_8859_1);
            try (SmtpTestClient client = connectEhlo()) {
                assertReply(client.command("MAIL FROM:<" + LEGIT_SENDER + ">"), 250, "2.1.0");
                assertReply(client.command("RCPT TO:<" + rcpt + ">"), 250, "2.1.5");
                // Two chunks, pipelined, split right after the odd ending.
                client.send(("BDAT " + first.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                client.send(first);
                client.send(("BDAT " + second.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
                client.send(second);
                Reply firstReply = client.read();
                if ((bare && !normalize()) || nul) {
                    if (firstReply.code() == 250) {
                        // A CR at the very end of a chunk is bare only once the next octet is seen.
                        assertThat(endOfData).endsWith("\r");
                        assertReply(client.read(), 550, "5.6.0");
                    } else {
                        // The first chunk already failed the message; the last is read and refused.
                        assertReply(firstReply, 550, "5.6.0");
                        assertReply(client.read(), 503, "5.5.1");
                    }
                } else {
                    assertReply(firstReply, 250, "2.0.0");
                    Reply last = client.read();
                    assertReply(last, 250, "2.0.0");
                    SmtpTestClient.queueId(last);
                    assertAcceptedAsOneMessage(rcpt, "smuggled body\r\n.\r\n");
                }
                // The chunk lengths kept the session in step: the next reply is NOOP's.
                assertReply(client.command("NOOP"), 250, "2.0.0");
                assertReply(client.command("QUIT"), 221, "2.0.0");
            }
        }

        /**
         * The one message was accepted and delivered whole, the smuggled transaction inside its text.
         * (It is checked at the next hop rather than in the spool, which it may already have left.)
         *
         * @param tail how the content ends: with DATA the real end of data follows "smuggled body";
         *             with BDAT the smuggled "." line is content too
         */
        private void assertAcceptedAsOneMessage(String rcpt, String tail) throws Exception {
            TestMailReceiver.await(Duration.ofSeconds(30), () -> !receiver.messagesFor(rcpt).isEmpty(),
                    "delivery to " + rcpt);
            List<TestMailReceiver.Message> delivered = receiver.messagesFor(rcpt);
            assertThat(delivered).hasSize(1);
            TestMailReceiver.Message m = delivered.get(0);
            assertThat(m.mailFrom()).isEqualTo(LEGIT_SENDER);
            assertThat(m.rcptTo()).containsExactly(rcpt);
            String text = new String(m.data(), StandardCharsets.ISO_8859_1);
            // The receiver reads on past the smuggled "." line only if it was dot-stuffed on the wire.
            assertThat(text).contains("MAIL FROM:<" + SPOOFED_SENDER + ">\r\nRCPT TO:<" + VICTIM + ">\r\nDATA\r\n")
                    .endsWith(tail);
            assertThat(text).startsWith("Received: ").contains("\r\nFrom: legit@example.com\r\nSubject: smuggling test\r\n");
            assertThat(text.replace("\r\n", "")).as("no bare CR or LF sent to the next hop").doesNotContain("\r", "\n");
            assertThat(text).as("no NUL sent to the next hop").doesNotContain("\0");
        }

        private static String uniqueRecipient() {
            return "r" + UUID.randomUUID().toString().substring(0, 8) + "@example.net";
        }
    }
}
