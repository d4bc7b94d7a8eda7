package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;

/** The argument of MAIL FROM: and RCPT TO: split into path and parameters, and the syntax errors refused. */
class EsmtpParametersTest {

    @Test
    void pathAndParametersAreSplitAndKeywordsUpperCased() throws Exception {
        EsmtpParameters p = EsmtpParameters.parse("FROM:<a@example.com> size=1000 Body=8BITMIME SMTPUTF8 ENVID=x+2By",
                "FROM:");
        assertThat(p.path()).isEqualTo("<a@example.com>");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("SIZE", "1000");
        expected.put("BODY", "8BITMIME");
        expected.put("SMTPUTF8", null);
        expected.put("ENVID", "x+2By");
        assertThat(p.parameters()).containsExactlyEntriesOf(expected);
        assertThat(p.has("SMTPUTF8")).isTrue();
        assertThat(p.get("SMTPUTF8")).isNull();
        assertThat(p.get("BODY")).as("values keep their case").isEqualTo("8BITMIME");
        assertThat(p.has("RET")).isFalse();
    }

    @Test
    void prefixIsCaseInsensitiveAndASpaceBeforeThePathIsTolerated() throws Exception {
        assertThat(EsmtpParameters.parse("to:<b@example.com>", "TO:").path()).isEqualTo("<b@example.com>");
        assertThat(EsmtpParameters.parse("FROM: <a@example.com>", "FROM:").path()).isEqualTo("<a@example.com>");
        assertThat(EsmtpParameters.parse("FROM:<>", "FROM:").path()).isEqualTo("<>");
    }

    @Test
    void extraSpacesBetweenAndAfterParametersAreIgnored() throws Exception {
        EsmtpParameters p = EsmtpParameters.parse("TO:<b@example.com>   NOTIFY=NEVER    ORCPT=rfc822;b@example.com  ",
                "TO:");
        assertThat(p.parameters()).containsOnlyKeys("NOTIFY", "ORCPT");
        assertThat(p.get("ORCPT")).isEqualTo("rfc822;b@example.com");
    }

    @Test
    void quotedLocalPartMayHoldAngleBracketsSpacesAndEscapedQuotes() throws Exception {
        EsmtpParameters p = EsmtpParameters.parse("FROM:<\"a> b \\\" c>\"@example.com> SIZE=5", "FROM:");
        assertThat(p.path()).isEqualTo("<\"a> b \\\" c>\"@example.com>");
        assertThat(p.parameters()).containsOnlyKeys("SIZE");
        assertThat(p.address(false)).isEqualTo(new MailAddress("\"a> b \\\" c>\"", "example.com"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TO:<a@example.com>           | expected FROM:",
            "FROM:a@example.com           | path must be in angle brackets",
            "FROM:                        | path must be in angle brackets",
            "FROM:<a@example.com          | unterminated path",
            "FROM:<\"a>@example.com       | unterminated path",
            "FROM:<a@example.com>SIZE=1   | garbage after path",
            "FROM:<a@example.com> SIZE=   | malformed parameter",
            "FROM:<a@example.com> =1      | malformed parameter",
            "FROM:<a@example.com> -X=1    | malformed parameter",
            "FROM:<a@example.com> SI_ZE=1 | malformed parameter",
            "FROM:<a@example.com> SIZE=1 size=2 | repeated parameter SIZE",
    })
    void syntaxErrorsAreRefusedWithTheReason(String argument, String reason) {
        assertThatThrownBy(() -> EsmtpParameters.parse(argument, "FROM:"))
                .isInstanceOf(EsmtpParameters.SyntaxException.class).hasMessage(reason);
    }

    @Test
    void addressIsParsedWithTheUtf8FlagOfTheTransaction() throws Exception {
        EsmtpParameters p = EsmtpParameters.parse("FROM:<jörg@example.com> SMTPUTF8", "FROM:");
        assertThat(p.address(true)).isEqualTo(new MailAddress("jörg", "example.com"));
        assertThatThrownBy(() -> p.address(false)).isInstanceOf(AddressException.class)
                .matches(e -> ((AddressException) e).needsSmtpUtf8());
    }
}
