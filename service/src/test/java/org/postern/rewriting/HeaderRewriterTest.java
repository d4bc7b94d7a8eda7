package org.postern.rewriting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.smtp.MailAddress;

/**
 * Header rewriting touches exactly the addresses of the fields sendmail rewrites as senders
 * (From, Sender, Reply-To, Resent-*, Errors-To) or recipients (To, Cc, Bcc, ...), each with its
 * own rule set, and leaves every other byte of the message as it was.
 */
class HeaderRewriterTest {

    private static final RuleSet MASQ = new RuleSet("Masq", Map.of(), null,
            new Masquerade("example.com", Set.of("mail.example.com"), false, Set.of(), Set.of(), true), "relay.test");
    private static final RuleSet TO_NET = new RuleSet("Net", Map.of("mail.example.com", "example.net"), null, null,
            "relay.test");

    private static String filter(HeaderRewriter rewriter, String content) throws IOException {
        return filter(rewriter, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String filter(HeaderRewriter rewriter, byte[] content) throws IOException {
        try (InputStream in = rewriter.filter(new ByteArrayInputStream(content))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void senderAndRecipientFieldsEachTakeTheirRuleSet() throws IOException {
        String message = """
                Received: from app (app [127.0.0.1])\r
                \tby relay.test; Tue, 1 Jul 2025 12:00:00 +0000\r
                From: Alice <alice@mail.example.com>\r
                Sender: bounce@mail.example.com\r
                reply-to: alice@mail.example.com\r
                To: Bob <bob@mail.example.com>,\r
                 carol@mail.example.com\r
                Cc: dave@mail.example.com\r
                Subject: from alice@mail.example.com\r
                Message-Id: <1@mail.example.com>\r
                \r
                From: alice@mail.example.com (the body is not a header)\r
                """;
        String out = filter(new HeaderRewriter(MASQ, TO_NET), message);
        assertThat(out).isEqualTo("""
                Received: from app (app [127.0.0.1])\r
                \tby relay.test; Tue, 1 Jul 2025 12:00:00 +0000\r
                From: Alice <alice@example.com>\r
                Sender: bounce@example.com\r
                reply-to: alice@example.com\r
                To: Bob <bob@example.net>,\r
                 carol@example.net\r
                Cc: dave@example.net\r
                Subject: from alice@mail.example.com\r
                Message-Id: <1@mail.example.com>\r
                \r
                From: alice@mail.example.com (the body is not a header)\r
                """);
    }

    @Test
    void onlyTheSideWithARuleSetIsRewritten() throws IOException {
        String message = "From: a@mail.example.com\r\nTo: b@mail.example.com\r\n\r\nbody\r\n";
        assertThat(filter(new HeaderRewriter(MASQ, null), message))
                .isEqualTo("From: a@example.com\r\nTo: b@mail.example.com\r\n\r\nbody\r\n");
        assertThat(filter(new HeaderRewriter(null, TO_NET), message))
                .isEqualTo("From: a@mail.example.com\r\nTo: b@example.net\r\n\r\nbody\r\n");
    }

    @Test
    void anUnparsableFieldPassesByteForByte() throws IOException {
        String message = "From: Alice Smith alice@mail.example.com\r\nSender: <broken@mail.example.com\r\n"
                + "To: ok@mail.example.com\r\n\r\nbody\r\n";
        assertThat(filter(new HeaderRewriter(MASQ, MASQ), message))
                .isEqualTo("From: Alice Smith alice@mail.example.com\r\nSender: <broken@mail.example.com\r\n"
                        + "To: ok@example.com\r\n\r\nbody\r\n");
    }

    @Test
    void aFieldThatIsNotUtf8PassesByteForByte() throws IOException {
        byte[] latin1 = "From: J\u00f6rg <jorg@mail.example.com>\r\n\r\nx\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = new HeaderRewriter(MASQ, null).filter(new ByteArrayInputStream(latin1))) {
            assertThat(in.readAllBytes()).isEqualTo(latin1);
        }
        assertThat(filter(new HeaderRewriter(MASQ, null), "From: Jörg <jörg@mail.example.com>\r\n\r\nx\r\n"))
                .isEqualTo("From: Jörg <jörg@example.com>\r\n\r\nx\r\n");
    }

    @Test
    void bareLineFeedsAndAMessageWithoutBodyWork() throws IOException {
        assertThat(filter(new HeaderRewriter(MASQ, null), "From: a@mail.example.com\nSubject: x\n\nbody\n"))
                .isEqualTo("From: a@example.com\nSubject: x\n\nbody\n");
        assertThat(filter(new HeaderRewriter(MASQ, null), "From: a@mail.example.com\r\n"))
                .isEqualTo("From: a@example.com\r\n");
        assertThat(filter(new HeaderRewriter(MASQ, null), "\r\nFrom: a@mail.example.com\r\n"))
                .isEqualTo("\r\nFrom: a@mail.example.com\r\n");
    }

    @Test
    void aLongHeaderSectionAndALargeBodyStreamThrough() throws IOException {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            m.append("X-Filler-").append(i).append(": ").append("y".repeat(40)).append("\r\n");
        }
        m.append("From: a@mail.example.com\r\n\r\n");
        String body = "z".repeat(100) + "\r\n";
        m.append(body.repeat(5000));
        String out = filter(new HeaderRewriter(MASQ, null), m.toString());
        assertThat(out).isEqualTo(m.toString().replace("From: a@mail.example.com", "From: a@example.com"));
    }

    @Test
    void aHeaderSectionBeyondTheLimitIsPassedOnUntouched() throws IOException {
        String filler = "X-Filler: " + "y".repeat(1000) + "\r\n";
        String m = "From: a@mail.example.com\r\n" + filler.repeat(HeaderRewriter.MAX_HEADER_SECTION / 1000 + 10)
                + "\r\nbody\r\n";
        assertThat(filter(new HeaderRewriter(MASQ, null), m)).isEqualTo(m);
    }

    @Test
    void rewriteFieldIsThePureFunctionForAHeaderStage() {
        HeaderRewriter rewriter = new HeaderRewriter(MASQ, TO_NET);
        assertThat(rewriter.rewriteField("FROM", " a@mail.example.com")).isEqualTo(" a@example.com");
        assertThat(rewriter.rewriteField("Resent-Bcc", " a@mail.example.com")).isEqualTo(" a@example.net");
        String subject = " a@mail.example.com";
        assertThat(rewriter.rewriteField("Subject", subject)).isSameAs(subject);
        assertThat(new HeaderRewriter(null, null).rewriteField("From", subject)).isSameAs(subject);
        byte[] raw = "Reply-To: Alice\r\n <a@mail.example.com>\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(rewriter.rewriteRawField(raw), StandardCharsets.UTF_8))
                .isEqualTo("Reply-To: Alice\r\n <a@example.com>\r\n");
        assertThat(rewriter.rewriteRawField("Subject: a@mail.example.com\r\n".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(rewriter.rewriteRawField("From: b@example.org\r\n".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(MailerRewriting.originalRecipient(new MailAddress("a+b=c", "example.com")))
                .isEqualTo("rfc822;a+2Bb+3Dc@example.com");
        assertThat(MailerRewriting.originalRecipient(new MailAddress("jörg", "example.com"))).isNull();
    }
}
