package org.postern.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/**
 * RFC 3464 notices as a mail client sees them: Jakarta Mail parses each one as a multipart/report
 * whose delivery-status fields, split into their groups, say what happened to whom.
 */
class DeliveryStatusNotificationTest {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Instant ARRIVAL = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-01T10:05:00Z");
    private static final MailAddress SENDER = new MailAddress("alice", "example.com");
    private static final MailAddress BOB = new MailAddress("bob", "example.org");
    private static final MailAddress CAROL = new MailAddress("carol", "example.net");
    private static final byte[] ORIGINAL = """
            From: Alice <alice@example.com>\r
            To: bob@example.org\r
            Subject: quarterly numbers\r
            Message-ID: <orig-1@example.com>\r
            \r
            The numbers are attached.\r
            Regards, Alice\r
            """.getBytes(UTF_8);

    @TempDir
    Path temp;

    private static Envelope envelope(boolean smtpUtf8, MailAddress sender, MailAddress... rcpts) {
        List<Recipient> recipients = new ArrayList<>();
        for (MailAddress r : rcpts) {
            recipients.add(new Recipient(r, Set.of(), "rfc822;" + r));
        }
        return new Envelope("4Q1xYz0001", ARRIVAL, sender, recipients, BodyType.EIGHT_BIT_MIME, smtpUtf8,
                DsnReturn.FULL, "QQ314159", "192.0.2.1", null, "client.example.com", null, "ESMTP", "submission");
    }

    private static RecipientReport failed(MailAddress rcpt) {
        return new RecipientReport(rcpt, "rfc822;" + rcpt, DsnAction.FAILED, "5.1.1", "mx.example.org",
                "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown", NOW, null);
    }

    private record Notice(byte[] bytes, DeliveryStatusNotification.Result result, MimeMessage message,
            MimeMultipart report) {
    }

    private Notice write(DsnRequest req, byte[] original) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var result = DeliveryStatusNotification.write(req, new ByteArrayInputStream(original), out, temp);
        byte[] bytes = out.toByteArray();
        assertThat(result.size()).isEqualTo(bytes.length);
        assertWellFormedLines(bytes);
        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
        return new Notice(bytes, result, m, (MimeMultipart) m.getContent());
    }

    private static DsnRequest request(Envelope env, boolean full, long limit, RecipientReport... reports) {
        return new DsnRequest("mta1.postern.test", env, List.of(reports), NOW, full, limit, "postern.test");
    }

    /** Every line ends in CRLF and none passes 998 octets. */
    private static void assertWellFormedLines(byte[] b) {
        int length = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                assertThat(i).as("LF at %d follows CR", i).isGreaterThan(0);
                assertThat(b[i - 1]).as("LF at %d follows CR", i).isEqualTo((byte) '\r');
                length = 0;
            } else {
                if (b[i] == '\r') {
                    assertThat(i + 1 < b.length && b[i + 1] == '\n').as("CR at %d is a line end", i).isTrue();
                }
                assertThat(++length).isLessThanOrEqualTo(1000);
            }
        }
    }

    /** The delivery-status body split into its RFC 3464 §2.1 groups: per-message, then one per recipient. */
    private static List<InternetHeaders> statusGroups(BodyPart part) throws Exception {
        String text;
        try (InputStream in = part.getInputStream()) {
            text = new String(in.readAllBytes(), UTF_8);
        }
        List<InternetHeaders> groups = new ArrayList<>();
        for (String group : text.split("\r\n\r\n")) {
            if (!group.isBlank()) {
                groups.add(new InternetHeaders(new ByteArrayInputStream((group + "\r\n\r\n").getBytes(UTF_8))));
            }
        }
        return groups;
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), UTF_8);
    }

    private static byte[] raw(BodyPart part) throws Exception {
        try (InputStream in = ((MimeBodyPart) part).getRawInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void failureNoticeIsAMultipartReportNamingRecipientStatusAndRemoteReply() throws Exception {
        Notice n = write(request(envelope(false, SENDER, BOB), true, 1_000_000, failed(BOB)), ORIGINAL);

        MimeMessage m = n.message();
        assertThat(m.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(m.getHeader("From", null)).isEqualTo("Mail Delivery System <MAILER-DAEMON@mta1.postern.test>");
        assertThat(m.getHeader("To", null)).isEqualTo("<alice@example.com>");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getMessageID()).matches("<\\d{14}\\.4Q1xYz0001\\.[0-9a-f]{12}@postern\\.test>");
        assertThat(m.getSentDate()).isEqualTo(java.util.Date.from(NOW));
        ContentType type = new ContentType(m.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");
        assertThat(n.report().getCount()).isEqualTo(3);

        BodyPart text = n.report().getBodyPart(0);
        assertThat(text.isMimeType("text/plain")).isTrue();
        assertThat((String) text.getContent()).contains("<bob@example.org>: host mx.example.org said: 550 5.1.1",
                "User unknown");

        BodyPart status = n.report().getBodyPart(1);
        assertThat(new ContentType(status.getContentType()).getBaseType()).isEqualTo("message/delivery-status");
        List<InternetHeaders> groups = statusGroups(status);
        assertThat(groups).hasSize(2);
        InternetHeaders perMessage = groups.get(0);
        assertThat(perMessage.getHeader("Reporting-MTA", null)).isEqualTo("dns; mta1.postern.test");
        assertThat(perMessage.getHeader("Original-Envelope-Id", null)).isEqualTo("QQ314159");
        assertThat(perMessage.getHeader("Arrival-Date", null)).isEqualTo("Sat, 1 Mar 2025 10:00:00 +0000");
        InternetHeaders bob = groups.get(1);
        assertThat(bob.getHeader("Original-Recipient", null)).isEqualTo("rfc822;bob@example.org");
        assertThat(bob.getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.org");
        assertThat(bob.getHeader("Action", null)).isEqualTo("failed");
        assertThat(bob.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(bob.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.example.org");
        assertThat(jakarta.mail.internet.MimeUtility.unfold(bob.getHeader("Diagnostic-Code", null)))
                .isEqualTo("smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown");
        assertThat(bob.getHeader("Last-Attempt-Date", null)).isEqualTo("Sat, 1 Mar 2025 10:05:00 +0000");
        assertThat(bob.getHeader("Will-Retry-Until")).isNull();

        BodyPart returned = n.report().getBodyPart(2);
        assertThat(returned.isMimeType("message/rfc822")).isTrue();
        assertThat(raw(returned)).isEqualTo(ORIGINAL);
        assertThat(((MimeMessage) returned.getContent()).getSubject()).isEqualTo("quarterly numbers");
        assertThat(n.result())
                .isEqualTo(new DeliveryStatusNotification.Result(BodyType.SEVEN_BIT, false, n.bytes().length));
    }

    @Test
    void delayNoticeSaysWhenRetryingStopsAndReturnsHeadersOnly() throws Exception {
        Instant until = NOW.plus(Duration.ofDays(5));
        RecipientReport delayed = new RecipientReport(CAROL, null, DsnAction.DELAYED, "4.4.1", null,
                "connect to mx.example.net[192.0.2.7]:25: Connection timed out", NOW, until);
        Notice n = write(request(envelope(false, SENDER, CAROL), false, 1_000_000, delayed), ORIGINAL);

        assertThat(n.message().getSubject()).isEqualTo("Delayed Mail (still being retried)");
        String text = ((String) n.report().getBodyPart(0).getContent()).replaceAll("\\s+", " ");
        assertThat(text).contains("<carol@example.net>: connect to mx.example.net[192.0.2.7]:25: Connection timed out",
                "will retry until Thu, 6 Mar 2025 10:05:00 +0000");
        InternetHeaders carol = statusGroups(n.report().getBodyPart(1)).get(1);
        assertThat(carol.getHeader("Original-Recipient")).isNull();
        assertThat(carol.getHeader("Action", null)).isEqualTo("delayed");
        assertThat(carol.getHeader("Status", null)).isEqualTo("4.4.1");
        assertThat(carol.getHeader("Remote-MTA")).isNull();
        assertThat(jakarta.mail.internet.MimeUtility.unfold(carol.getHeader("Diagnostic-Code", null)))
                .isEqualTo("X-Postern; connect to mx.example.net[192.0.2.7]:25: Connection timed out");
        assertThat(carol.getHeader("Will-Retry-Until", null)).isEqualTo("Thu, 6 Mar 2025 10:05:00 +0000");

        BodyPart headers = n.report().getBodyPart(2);
        assertThat(headers.isMimeType("text/rfc822-headers")).isTrue();
        String block = new String(raw(headers), UTF_8);
        String original = new String(ORIGINAL, UTF_8);
        assertThat(block).isEqualTo(original.substring(0, original.indexOf("\r\n\r\n") + 2));
        assertThat(block).doesNotContain("numbers are attached");
    }

    @Test
    void relayNoticeIsASuccessReport() throws Exception {
        RecipientReport relayed = new RecipientReport(BOB, "rfc822;bob@example.org", DsnAction.RELAYED, "2.0.0",
                "legacy.example.org", "250 2.0.0 Ok: queued as 7F3A", NOW, null);
        Notice n = write(request(envelope(false, SENDER, BOB), false, 1_000_000, relayed), ORIGINAL);

        assertThat(n.message().getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat((String) n.report().getBodyPart(0).getContent())
                .contains("<bob@example.org>: relayed to host legacy.example.org");
        InternetHeaders bob = statusGroups(n.report().getBodyPart(1)).get(1);
        assertThat(bob.getHeader("Action", null)).isEqualTo("relayed");
        assertThat(bob.getHeader("Status", null)).isEqualTo("2.0.0");
        assertThat(bob.getHeader("Remote-MTA", null)).isEqualTo("dns; legacy.example.org");
        assertThat(bob.getHeader("Diagnostic-Code", null)).isEqualTo("smtp; 250 2.0.0 Ok: queued as 7F3A");
    }

    @Test
    void failureOutweighsDelayInTheSubjectAndEachRecipientHasItsGroup() throws Exception {
        RecipientReport delayed = new RecipientReport(CAROL, null, DsnAction.DELAYED, "4.2.2", "mx.example.net",
                "452 4.2.2 Mailbox full", NOW, NOW.plus(Duration.ofDays(4)));
        Notice n = write(request(envelope(false, SENDER, BOB, CAROL), true, 1_000_000, delayed, failed(BOB)), ORIGINAL);

        assertThat(n.message().getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        List<InternetHeaders> groups = statusGroups(n.report().getBodyPart(1));
        assertThat(groups).hasSize(3);
        assertThat(groups.get(1).getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@example.net");
        assertThat(groups.get(1).getHeader("Action", null)).isEqualTo("delayed");
        assertThat(groups.get(2).getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.org");
        assertThat(groups.get(2).getHeader("Action", null)).isEqualTo("failed");
    }

    @Test
    void sizeLimitFallsBackToHeadersAndStopsReading() throws Exception {
        Notice atLimit = write(request(envelope(false, SENDER, BOB), true, ORIGINAL.length, failed(BOB)), ORIGINAL);
        assertThat(atLimit.report().getBodyPart(2).isMimeType("message/rfc822")).isTrue();
        assertThat(raw(atLimit.report().getBodyPart(2))).isEqualTo(ORIGINAL);

        Notice overLimit =
                write(request(envelope(false, SENDER, BOB), true, ORIGINAL.length - 1, failed(BOB)), ORIGINAL);
        assertThat(overLimit.report().getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(new String(raw(overLimit.report().getBodyPart(2)), UTF_8)).endsWith("<orig-1@example.com>\r\n");

        // A large original past the limit is read only a little past it, and spilled to disk meanwhile.
        byte[] head = "Subject: big\r\n\r\n".getBytes(UTF_8);
        long[] read = {0};
        InputStream huge = new FilterInputStream(InputStream.nullInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, 8192);
                for (int i = 0; i < n; i++) {
                    long pos = read[0] + i;
                    b[off + i] = pos < head.length ? head[(int) pos] : (byte) (pos % 78 == 77 ? '\n' : 'x');
                }
                read[0] += n;
                return n; // never ends
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeliveryStatusNotification.write(
                request(envelope(false, SENDER, BOB), true, 200_000, failed(BOB)), huge, out, temp);
        assertThat(read[0]).isBetween(200_000L, 220_000L);
        assertThat(new String(out.toByteArray(), UTF_8))
                .contains("Content-Type: text/rfc822-headers\r\n\r\nSubject: big\r\n\r\n--");
        try (var files = Files.list(temp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void eightBitOriginalMakesAn8bitmimeNotice() throws Exception {
        byte[] original = "Subject: Grüße\r\n\r\nschöne Grüße\r\n".getBytes(UTF_8);
        Notice n = write(request(envelope(false, SENDER, BOB), true, 1_000_000, failed(BOB)), original);

        assertThat(n.result().body()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(n.result().smtpUtf8()).isFalse();
        BodyPart returned = n.report().getBodyPart(2);
        assertThat(returned.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(raw(returned)).isEqualTo(original);
    }

    @Test
    void smtputf8OriginalGetsGlobalTypesAndUtf8Addresses() throws Exception {
        MailAddress jose = new MailAddress("josé", "exemplo.br");
        MailAddress sender = new MailAddress("müller", "beispiel.de");
        RecipientReport report = new RecipientReport(jose, "utf-8;josé@exemplo.br", DsnAction.FAILED, "5.1.1",
                "mx.exemplo.br", "550 5.1.1 unknown user josé", NOW, null);
        byte[] original = "From: müller@beispiel.de\r\nSubject: olá\r\n\r\noi\r\n".getBytes(UTF_8);
        Notice n = write(request(envelope(true, sender, jose), false, 1_000_000, report), original);

        assertThat(n.result())
                .isEqualTo(new DeliveryStatusNotification.Result(BodyType.EIGHT_BIT_MIME, true, n.bytes().length));
        assertThat(new String(n.bytes(), UTF_8)).contains("To: <müller@beispiel.de>\r\n");
        assertThat(n.report().getBodyPart(0).getContentType()).isEqualTo("text/plain; charset=utf-8");
        BodyPart status = n.report().getBodyPart(1);
        assertThat(status.getContentType()).isEqualTo("message/global-delivery-status");
        InternetHeaders r = statusGroups(status).get(1);
        // InternetHeaders reads octets as ISO-8859-1 unless mail.mime.allowutf8 is set JVM-wide.
        assertThat(utf8(r.getHeader("Final-Recipient", null))).isEqualTo("utf-8; josé@exemplo.br");
        assertThat(utf8(r.getHeader("Original-Recipient", null))).isEqualTo("utf-8;josé@exemplo.br");
        assertThat(n.report().getBodyPart(2).getContentType()).isEqualTo("message/global-headers");
        assertThat(new String(raw(n.report().getBodyPart(2)), UTF_8))
                .isEqualTo("From: müller@beispiel.de\r\nSubject: olá\r\n");
    }

    @Test
    void diagnosticLineEndsAreFlattenedAndLongFieldsFolded() throws Exception {
        String multiLine = "550-5.7.1 Our system has detected that this message is likely unsolicited mail.\r\n"
                + "550-5.7.1 To reduce the amount of spam sent, this message has been blocked.\r\n"
                + "550 5.7.1 Please visit https://support.example.org/mail/answer/12345 for more information.";
        RecipientReport r =
                new RecipientReport(BOB, null, DsnAction.FAILED, "5.7.1", "mx.example.org", multiLine, NOW, null);
        Notice n = write(request(envelope(false, SENDER, BOB), true, 1_000_000, r), ORIGINAL);

        String text = new String(n.bytes(), UTF_8);
        String field = text.substring(text.indexOf("Diagnostic-Code:"), text.indexOf("Last-Attempt-Date:"));
        assertThat(field.split("\r\n")).hasSizeGreaterThan(2)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        InternetHeaders bob = statusGroups(n.report().getBodyPart(1)).get(1);
        assertThat(jakarta.mail.internet.MimeUtility.unfold(bob.getHeader("Diagnostic-Code", null)))
                .isEqualTo("smtp; " + multiLine.replace("\r\n", " "));
    }

    @Test
    void nonAsciiInAPeerReplyIsMaskedInAnAsciiNotice() throws Exception {
        RecipientReport r = new RecipientReport(BOB, null, DsnAction.FAILED, "5.0.0", "mx.example.org",
                "550 Empfänger unbekannt\u0000", NOW, null);
        Notice n = write(request(envelope(false, SENDER, BOB), false, 0, r), ORIGINAL);

        assertThat(n.result().body()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(statusGroups(n.report().getBodyPart(1)).get(1).getHeader("Diagnostic-Code", null))
                .isEqualTo("smtp; 550 Empf?nger unbekannt");
    }

    @Test
    void noNoticeToTheNullSender() {
        DsnRequest req = request(envelope(false, MailAddress.NULL_SENDER, BOB), true, 1000, failed(BOB));
        assertThatThrownBy(() -> DeliveryStatusNotification.write(req, new ByteArrayInputStream(ORIGINAL),
                new ByteArrayOutputStream())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusMustBeAnEnhancedStatusCode() {
        assertThatThrownBy(() -> new RecipientReport(BOB, null, DsnAction.FAILED, "550", null, null, NOW, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void returnedContentWithoutFinalCrlfIsKeptExactly() throws Exception {
        byte[] original = "Subject: x\r\n\r\nno final line end".getBytes(UTF_8);
        Notice n = write(request(envelope(false, SENDER, BOB), true, 1_000_000, failed(BOB)), original);
        assertThat(raw(n.report().getBodyPart(2))).isEqualTo(original);
    }

}
