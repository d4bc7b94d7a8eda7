package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.macro.MacroValues;
import org.postern.mailer.MailerDefinition;

/**
 * Header rules applied at delivery through the editor: mailer flag and macro conditions, headers the
 * message already has, the Resent- forms, continuation lines, and where added fields go.
 */
class HeaderRuleStageTest {

    static final MailerDefinition ESMTP = MailerDefinition.builder("esmtp").flags("mDFMuXa").build();
    static final MailerDefinition BARE = MailerDefinition.builder("bare").flags("mu").build();
    static final MailerDefinition LOCALISH = MailerDefinition.builder("withp").flags("mPx").build();

    static final MacroValues MACROS = MacroValues.of(Map.of("j", "relay.test", "i", "QID", "t", "202506021005",
            "a", "Mon, 2 Jun 2025 12:05:30 +0200", "g", "ann@example.com", "h", "mx.example.net"));

    static final String RECEIVED = "Received: from client.test ([127.0.0.1])\r\n\tby relay.test (Postern-dev/dev)"
            + " with ESMTP id QID;\r\n\tMon, 2 Jun 2025 12:05:30 +0200\r\n";

    /** Edits {@code message} with the default rules (or {@code rules}) for {@code mailer}; returns the whole result. */
    static String deliver(String message, MailerDefinition mailer, List<HeaderRule> rules, MacroValues macros)
            throws IOException {
        byte[] content = message.getBytes(StandardCharsets.UTF_8);
        HeaderEditor editor = new HeaderEditor(List.of(new HeaderRuleStage(rules)));
        HeaderEditor.Edit edit = editor.edit(() -> new ByteArrayInputStream(content), new HeaderEditor.Context(mailer, macros));
        if (edit == null) {
            return message;
        }
        return new String(edit.header(), StandardCharsets.UTF_8)
                + new String(content, edit.replaces(), content.length - edit.replaces(), StandardCharsets.UTF_8);
    }

    static List<HeaderRule> defaultsForDelivery() {
        return HeaderDefaults.rules().stream().filter(r -> !r.is("Received")).toList();
    }

    @Test
    void aMailerWithDFAndMGetsDateFromAndMessageIdAfterTheTraceFields() throws IOException {
        String out = deliver(RECEIVED + "Subject: hi\r\n\r\nbody\r\n", ESMTP, defaultsForDelivery(), MACROS);
        assertThat(out).isEqualTo(RECEIVED
                + "Date: Mon, 2 Jun 2025 12:05:30 +0200\r\n"
                + "From: ann@example.com\r\n"
                + "Message-Id: <202506021005.QID@relay.test>\r\n"
                + "Subject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void aMailerWithoutThoseFlagsGetsNothingAndTheContentIsNotEvenRead() throws IOException {
        HeaderEditor editor = new HeaderEditor(List.of(new HeaderRuleStage(defaultsForDelivery())));
        HeaderEditor.Edit edit = editor.edit(() -> {
            throw new AssertionError("the content must not be read");
        }, new HeaderEditor.Context(BARE, MACROS));
        assertThat(edit).isNull();
    }

    @Test
    void headersTheMessageHasAreKeptAsTheyAre() throws IOException {
        String message = RECEIVED + "date: Sun, 1 Jun 2025 08:00:00 +0000\r\nFROM: Bob <bob@example.org>\r\n"
                + "Message-ID: <x@y>\r\nSubject: hi\r\n\r\nbody\r\n";
        assertThat(deliver(message, ESMTP, defaultsForDelivery(), MACROS)).isEqualTo(message);
    }

    @Test
    void onlyTheMissingOnesAreAdded() throws IOException {
        String out = deliver("From: Bob <bob@example.org>\r\nSubject: hi\r\n\r\nbody\r\n", ESMTP,
                defaultsForDelivery(), MACROS);
        assertThat(out).isEqualTo("Date: Mon, 2 Jun 2025 12:05:30 +0200\r\nMessage-Id: <202506021005.QID@relay.test>\r\n"
                + "From: Bob <bob@example.org>\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void resentFormsOnlyForAResentMessage() throws IOException {
        String plain = deliver("Date: x\r\nFrom: a@b\r\nMessage-Id: <m@b>\r\n\r\nbody\r\n", ESMTP, defaultsForDelivery(),
                MACROS);
        assertThat(plain).doesNotContain("Resent-");
        String resent = deliver("Resent-To: c@d\r\nDate: x\r\nFrom: a@b\r\nMessage-Id: <m@b>\r\n\r\nbody\r\n", ESMTP,
                defaultsForDelivery(), MACROS);
        // $a is the message's Date: (sendmail's eatheader takes Posted-Date: or Date:), so Resent-Date
        // repeats it: sendmail's behaviour, kept.
        assertThat(resent).isEqualTo("Resent-Date: x\r\n"
                + "Resent-From: ann@example.com\r\nResent-Message-Id: <202506021005.QID@relay.test>\r\n"
                + "Resent-To: c@d\r\nDate: x\r\nFrom: a@b\r\nMessage-Id: <m@b>\r\n\r\nbody\r\n");
    }

    @Test
    void fullNameAndReturnPathFollowTheirFlags() throws IOException {
        String out = deliver(RECEIVED + "From: \"Ann Example\" <ann@example.com>\r\n\r\nbody\r\n", LOCALISH,
                defaultsForDelivery(), MACROS);
        // P: Return-Path above everything, trace fields included; x: Full-Name from the From: phrase ($x).
        assertThat(out).isEqualTo("Return-Path: <ann@example.com>\r\n" + RECEIVED + "Full-Name: Ann Example\r\n"
                + "From: \"Ann Example\" <ann@example.com>\r\n\r\nbody\r\n");
    }

    @Test
    void fromUsesTheFullNameWhenTheMessageGivesOne() throws IOException {
        String out = deliver("Full-Name: Ann Example\r\nSubject: s\r\n\r\n", ESMTP, defaultsForDelivery(), MACROS);
        assertThat(out).contains("From: Ann Example <ann@example.com>\r\n");
    }

    @Test
    void aNullSenderGetsNoFrom() throws IOException {
        MacroValues bounce = MacroValues.of(Map.of("g", "")).or(MACROS);
        String out = deliver("Subject: s\r\n\r\n", ESMTP, defaultsForDelivery(), bounce);
        assertThat(out).doesNotContain("From:").contains("Date: ");
    }

    @Test
    void macroConditionsHoldWhenTheMacroIsSet() throws IOException {
        List<HeaderRule> rules = List.of((HeaderRule) HeaderLineParser.parse("H?${MyMacro}?X-Info: $j via $h"));
        assertThat(deliver("Subject: s\r\n\r\n", BARE, rules, MACROS)).isEqualTo("Subject: s\r\n\r\n");
        MacroValues set = MacroValues.of(Map.of("MyMacro", "yes")).or(MACROS);
        assertThat(deliver("Subject: s\r\n\r\n", BARE, rules, set))
                .isEqualTo("X-Info: relay.test via mx.example.net\r\nSubject: s\r\n\r\n");
    }

    @Test
    void anyOfTheFlagsIsEnough() throws IOException {
        List<HeaderRule> rules = List.of((HeaderRule) HeaderLineParser.parse("H?QD?X-Either: $i"));
        assertThat(deliver("S: s\r\n\r\n", ESMTP, rules, MACROS)).startsWith("X-Either: QID\r\n");
        assertThat(deliver("S: s\r\n\r\n", BARE, rules, MACROS)).doesNotContain("X-Either");
    }

    @Test
    void continuationLinesAreKeptAndOnesLeftBlankAreDropped() throws IOException {
        List<HeaderRule> rules = List.of((HeaderRule) HeaderLineParser.parse(
                "HX-Trace: by $j\n\t$?{nothing}with ${nothing}$.\n\tid $i$?h\n\tto $h$."));
        assertThat(deliver("S: s\r\n\r\n", BARE, rules, MACROS))
                .isEqualTo("X-Trace: by relay.test\r\n\tid QID\r\n\tto mx.example.net\r\nS: s\r\n\r\n");
    }

    @Test
    void macroValuesCannotBreakTheHeader() throws IOException {
        List<HeaderRule> rules = List.of((HeaderRule) HeaderLineParser.parse("HX-Helo: $s"));
        MacroValues evil = MacroValues.of(Map.of("s", "a\r\nBcc: victim@example.org"));
        assertThat(deliver("S: s\r\n\r\n", BARE, rules, evil)).isEqualTo("X-Helo: a??Bcc: victim@example.org\r\nS: s\r\n\r\n");
    }

    @Test
    void anEmptyExpansionAddsNothing() throws IOException {
        List<HeaderRule> rules = List.of((HeaderRule) HeaderLineParser.parse("HX-Opt: $?{nothing}${nothing}$."),
                (HeaderRule) HeaderLineParser.parse("HX-Off:"));
        assertThat(deliver("S: s\r\n\r\n", BARE, rules, MACROS)).isEqualTo("S: s\r\n\r\n");
    }

    @Test
    void aMessageWithoutHeaderOrWithoutBodyStillComesOutWellFormed() throws IOException {
        List<HeaderRule> rules = List.of(HeaderRule.of("X-A", "$i"));
        assertThat(deliver("just a body line\r\n", BARE, rules, MACROS)).isEqualTo("X-A: QID\r\njust a body line\r\n");
        assertThat(deliver("Subject: no line break", BARE, rules, MACROS)).isEqualTo("X-A: QID\r\nSubject: no line break");
        assertThat(deliver("Received: x", BARE, rules, MACROS)).isEqualTo("Received: x\r\nX-A: QID\r\n");
    }

    @Test
    void theBodyIsNeverTouched() throws IOException {
        String body = "Date: in the body\r\n\r\nFrom: also body\r\n";
        String out = deliver("Subject: s\r\n\r\n" + body, ESMTP, defaultsForDelivery(), MACROS);
        assertThat(out).endsWith("\r\nSubject: s\r\n\r\n" + body).contains("Date: Mon, 2 Jun");
    }
}
