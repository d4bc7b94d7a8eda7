package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postern.header.HeaderCheck.Action;

/** Header checks: bound and default rulesets, comments removed or kept, reject, discard and ok. */
class HeaderChecksTest {

    static HeaderBlock block(String header) {
        HeaderCapture capture = new HeaderCapture(HeaderChecks.MAX_HEADER_BLOCK);
        byte[] b = header.getBytes(StandardCharsets.UTF_8);
        capture.write(b, 0, b.length);
        return capture.block();
    }

    static HeaderCheck check(String regex, Action action, String text) {
        return new HeaderCheck(Pattern.compile(regex), action, text);
    }

    static HeaderChecks checks(String... lines) {
        return HeaderChecks.of(Arrays.stream(lines).map(l -> (HeaderValidation) HeaderLineParser.parse(l))
                .toList(), Map.of(
                        "CheckSubject", List.of(check("(?i)viagra", Action.REJECT, "spam rejected")),
                        "CheckMessageId", List.of(check("^<[^@<>]+@[^@<>]+>$", Action.OK, null),
                                check("", Action.REJECT, "Illegal Message-Id header")),
                        "CheckAll", List.of(check("^drop me$", Action.DISCARD, null))));
    }

    @Test
    void commentsAreRemovedBeforeTheCheckUnlessThePlusFormIsUsed() {
        HeaderBlock hidden = block("Subject: hello (viagra) world\r\n\r\n");
        assertThat(checks("HSubject: $>CheckSubject").check(hidden)).isEqualTo(HeaderVerdict.ACCEPT);
        assertThat(checks("HSubject: $>+CheckSubject").check(hidden))
                .isEqualTo(new HeaderVerdict.Reject("CheckSubject", "Subject", "spam rejected"));
        HeaderBlock plain = block("Subject: buy VIAGRA now\r\n\r\n");
        assertThat(checks("HSubject: $>CheckSubject").check(plain))
                .isEqualTo(new HeaderVerdict.Reject("CheckSubject", "Subject", "spam rejected"));
    }

    @Test
    void theValueIsUnfoldedAndHeaderNamesAreCaseInsensitive() {
        HeaderBlock folded = block("subject: buy\r\n via\r\n\tgra\r\n\r\n");
        assertThat(Comments.strip("buy via\tgra")).isEqualTo("buy via\tgra");
        assertThat(checks("HSubject: $>CheckSubject").check(folded)).isEqualTo(HeaderVerdict.ACCEPT);
        HeaderBlock joined = block("SUBJECT: via\r\n\tgra\r\n\r\n");
        assertThat(folded.fields().get(0).value()).isEqualTo("buy via\tgra");
        assertThat(joined.fields().get(0).value()).isEqualTo("via\tgra");
        assertThat(checks("HSubject: $>CheckSubject").check(block("SUBJECT: viagra\r\n\r\n")))
                .isInstanceOf(HeaderVerdict.Reject.class);
    }

    @Test
    void theOperationsGuidesMessageIdExample() {
        HeaderChecks c = checks("HMessage-Id: $>CheckMessageId");
        assertThat(c.check(block("Message-Id: <legal@domain>\r\n\r\n"))).isEqualTo(HeaderVerdict.ACCEPT);
        assertThat(c.check(block("Message-Id: <legal@domain> (a comment)\r\n\r\n"))).isEqualTo(HeaderVerdict.ACCEPT);
        for (String bad : List.of("<>", "some text", "<legal text@domain> extra crud")) {
            assertThat(c.check(block("Message-Id: " + bad + "\r\n\r\n"))).as(bad)
                    .isEqualTo(new HeaderVerdict.Reject("CheckMessageId", "Message-Id", "Illegal Message-Id header"));
        }
    }

    @Test
    void theDefaultRulesetChecksEveryHeaderWithoutItsOwn() {
        HeaderChecks c = checks("HSubject: $>CheckSubject", "H*: $>CheckAll");
        assertThat(c.check(block("X-Anything: drop me\r\n\r\n")))
                .isEqualTo(new HeaderVerdict.Discard("CheckAll", "X-Anything"));
        // Subject has its own ruleset: the default does not see it.
        assertThat(c.check(block("Subject: drop me\r\n\r\n"))).isEqualTo(HeaderVerdict.ACCEPT);
    }

    @Test
    void aRejectWinsOverADiscardAndTheFirstRejectIsReported() {
        HeaderChecks c = checks("HSubject: $>CheckSubject", "H*: $>CheckAll", "HMessage-Id: $>CheckMessageId");
        assertThat(c.check(block("X-A: drop me\r\nSubject: viagra\r\nMessage-Id: bad\r\n\r\n")))
                .isEqualTo(new HeaderVerdict.Reject("CheckSubject", "Subject", "spam rejected"));
    }

    @Test
    void onlyTheHeaderBlockIsChecked() {
        HeaderChecks c = checks("HSubject: $>CheckSubject");
        assertThat(c.check(block("From: a@b\r\n\r\nSubject: viagra\r\n"))).isEqualTo(HeaderVerdict.ACCEPT);
        assertThat(c.check(block("not a header line\r\nSubject: viagra\r\n"))).isEqualTo(HeaderVerdict.ACCEPT);
    }

    @Test
    void aHeaderBlockTooLargeToCheckIsRefused() {
        HeaderCapture capture = new HeaderCapture(64);
        byte[] b = ("X-Long: " + "a".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        capture.write(b, 0, b.length);
        assertThat(capture.overflowed()).isTrue();
        assertThat(checks("H*: $>CheckAll").check(capture.block())).isEqualTo(new HeaderVerdict.TooLarge(
                HeaderChecks.MAX_HEADER_BLOCK));
        assertThat(HeaderChecks.NONE.check(capture.block())).isEqualTo(HeaderVerdict.ACCEPT);
    }

    @Test
    void commentsRfc5322() {
        assertThat(Comments.strip("a (b (nested) c) d")).isEqualTo("a  d");
        assertThat(Comments.strip("\"quoted (not a comment)\" <x@y>")).isEqualTo("\"quoted (not a comment)\" <x@y>");
        assertThat(Comments.strip("a (escaped \\) paren) b")).isEqualTo("a  b");
        assertThat(Comments.strip("a (unclosed")).isEqualTo("a");
        assertThat(Comments.strip("\"q \\\" (x)\" (c)")).isEqualTo("\"q \\\" (x)\"");
    }
}
