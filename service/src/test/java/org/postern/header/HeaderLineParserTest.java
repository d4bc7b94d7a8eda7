package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.macro.MacroTemplate;

/**
 * The H-line parser on real lines from sendmail.cf files built by m4 from Debian's sendmail-cf
 * (test resources {@code sendmail-cf/*.H}), and on the malformed lines it must refuse.
 */
class HeaderLineParserTest {

    static List<String> allRealLines() {
        List<String> all = new ArrayList<>();
        all.addAll(SendmailCfLines.of("generic-linux.H"));
        all.addAll(SendmailCfLines.of("knecht.H"));
        all.addAll(SendmailCfLines.of("postern-test.H"));
        return all;
    }

    @ParameterizedTest
    @MethodSource("allRealLines")
    void everyRealLineParsesAndPrintsBackAsWritten(String line) {
        HeaderLine parsed = HeaderLineParser.parse(line);
        // The only normalisation: whitespace after the colon becomes one space.
        assertThat(parsed.line()).isEqualTo(line.replaceFirst(":[ \t]+", ": "));
    }

    @Test
    void theDefaultsAreProtoM4sLinesExactly() {
        assertThat(HeaderDefaults.LINES).isEqualTo(SendmailCfLines.of("generic-linux.H"));
    }

    @Test
    void mailerFlagConditions() {
        List<String> lines = SendmailCfLines.of("generic-linux.H");
        HeaderRule returnPath = (HeaderRule) HeaderLineParser.parse(lines.get(0));
        assertThat(returnPath).isEqualTo(new HeaderRule("Return-Path", "P", null,
                MacroTemplate.parse("<$g>")));
        HeaderRule date = (HeaderRule) HeaderLineParser.parse("H?D?Date: $a");
        assertThat(date.name()).isEqualTo("Date");
        assertThat(date.mailerFlags()).isEqualTo("D");
        assertThat(date.macroCondition()).isNull();
        assertThat(date.template().macroNames()).containsExactly("a");
        HeaderRule fullName = (HeaderRule) HeaderLineParser.parse(lines.get(6));
        assertThat(fullName.name()).isEqualTo("Full-Name");
        assertThat(fullName.mailerFlags()).isEqualTo("x");
        HeaderRule resentFrom = (HeaderRule) HeaderLineParser.parse(lines.get(4));
        assertThat(resentFrom.name()).isEqualTo("Resent-From");
        assertThat(resentFrom.resent()).isTrue();
        assertThat(resentFrom.template().source()).isEqualTo("$?x$x <$g>$|$g$.");
        assertThat(((HeaderRule) HeaderLineParser.parse("H?mDFM?X: y")).mailerFlags()).isEqualTo("mDFM");
    }

    @Test
    void receivedKeepsItsContinuationLines() {
        HeaderRule received = (HeaderRule) HeaderLineParser.parse(SendmailCfLines.of("generic-linux.H").get(1));
        assertThat(received.name()).isEqualTo("Received");
        assertThat(received.mailerFlags()).isNull();
        assertThat(received.template().source()).startsWith("$?sfrom $s $.$?_($?s$|from $.$_)\n\t$.$?{auth_type}")
                .endsWith("\n\tfor $u; $|;\n\t$.$b");
        assertThat(received.template().source().split("\n")).hasSize(6);
        assertThat(received.template().macroNames()).containsExactlyInAnyOrder("s", "_", "auth_type", "auth_ssf",
                "j", "v", "Z", "r", "i", "tls_version", "cipher", "cipher_bits", "verify", "u", "b");
    }

    @Test
    void macroConditions() {
        List<String> lines = SendmailCfLines.of("postern-test.H");
        HeaderRule info = (HeaderRule) HeaderLineParser.parse(lines.get(0));
        assertThat(info.name()).isEqualTo("X-Info");
        assertThat(info.macroCondition()).isEqualTo("MyMacro");
        assertThat(info.mailerFlags()).isNull();
        assertThat(info.template().source()).isEqualTo("$j");
        HeaderRule client = (HeaderRule) HeaderLineParser.parse(lines.get(1));
        assertThat(client.template().macroNames()).containsExactly("client_name", "client_addr");
    }

    @Test
    void headerChecks() {
        List<String> knecht = SendmailCfLines.of("knecht.H");
        List<HeaderValidation> checks = knecht.stream().map(HeaderLineParser::parse)
                .filter(l -> l instanceof HeaderValidation).map(l -> (HeaderValidation) l).toList();
        assertThat(checks).containsExactly(
                new HeaderValidation("To", "CheckTo", false),
                new HeaderValidation("Message-Id", "CheckMessageId", false),
                new HeaderValidation("Received", "CheckReceived", false),
                new HeaderValidation("Subject", "CheckSubject", true),
                new HeaderValidation("From", "CheckFrom", true),
                new HeaderValidation("Content-Type", "CheckContentType", false),
                new HeaderValidation("Content-Disposition", "CheckContentDisposition", false),
                new HeaderValidation("X-MailScanner", "CheckXMSc", true));
        List<String> test = SendmailCfLines.of("postern-test.H");
        assertThat(HeaderLineParser.parse(test.get(test.size() - 2))).isEqualTo(
                new HeaderValidation("Subject", "CheckSubject", false));
        HeaderValidation all = (HeaderValidation) HeaderLineParser.parse(test.getLast());
        assertThat(all).isEqualTo(new HeaderValidation("*", "CheckAll", true));
        assertThat(all.isDefault()).isTrue();
    }

    @Test
    void crlfLineBreaksAndATrailingNewlineAreTolerated() {
        HeaderRule r = (HeaderRule) HeaderLineParser.parse("HX-Trace: a\r\n\tb\n");
        assertThat(r.template().source()).isEqualTo("a\n\tb");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "?D?Date: $a              => a header line starts with 'H'",
            "Date: $a                 => a header line starts with 'H'",
            "H?D Date: $a             => the condition ?…? is not closed",
            "HDate $a                 => no ':' after the header name",
            "H?D?: $a                 => no header name before ':'",
            "HX Info: y               => 'X Info' is not a header name",
            "H??X: y                  => an empty ?? mailer flag condition",
            "H?D-?Date: $a            => unknown mailer flag '-'",
            "H?D F?Date: $a           => unknown mailer flag ' '",
            "H?$x?X: y                => a macro condition is written ?${name}?",
            "H?${my-macro}?X: y       => 'my-macro' is not a macro name",
            "HSubject: $>             => a header check is written HName: $>Ruleset",
            "HSubject: $>Check extra  => a header check is written HName: $>Ruleset",
            "HSubject: $>Check-It     => 'Check-It' is not a ruleset name",
            "H?D?Subject: $>Check     => a header check ($>) takes no ?…? condition",
            "H*: $j                   => '*' names the default header check",
            "HX: a $>Check            => '$>' calls a ruleset",
            "HX: $?x unclosed         => has no closing '$.'",
            "HX: ${client_addr        => '${' without a closing '}'"})
    void refusesMalformedLines(String line, String reason) {
        assertThatThrownBy(() -> HeaderLineParser.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aLineBreakMustStartAContinuationLine() {
        assertThatThrownBy(() -> HeaderLineParser.parse("HX-Info: a\nHY: b"))
                .hasMessageContaining("a line break in the value of X-Info must be followed by a space or tab");
    }
}
