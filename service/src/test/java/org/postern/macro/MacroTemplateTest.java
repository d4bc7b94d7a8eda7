package org.postern.macro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sendmail macro syntax: every form, nesting, unset macros, and what is refused. */
class MacroTemplateTest {

    private static final MacroValues VALUES = MacroValues.of(Map.of(
            "j", "relay.example.com", "s", "client.example.net", "_", "[192.0.2.1]", "i", "1K0R9V0R788003WRAGYM",
            "client_addr", "192.0.2.1", "x", "Ann Example", "g", "ann@example.net", "empty", ""));

    private static String expand(String template) {
        return MacroTemplate.parse(template).expand(VALUES);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
            // template                              | expansion
            "by $j                                   => by relay.example.com",
            "${j}                                    => relay.example.com",
            "[${client_addr}]                        => [192.0.2.1]",
            "$&j and $&{client_addr}                 => relay.example.com and 192.0.2.1",
            "$_                                      => [192.0.2.1]",
            "<$i@$j>                                 => <1K0R9V0R788003WRAGYM@relay.example.com>",
            "$?x$x <$g>$|$g$.                        => Ann Example <ann@example.net>",
            "$?y$y <$g>$|$g$.                        => ann@example.net",
            "a$?{client_addr} from ${client_addr}$.b => a from 192.0.2.1b",
            "a$?{tls_version} tls$.b                 => ab",
            "$?{empty}set$|unset$.                   => unset",
            "$?s$?x both$| s only$.$| none$.         => ' both'",
            "$?s$?y both$| s only$.$| none$.         => ' s only'",
            "$?q$?s both$| s only$.$| none$.         => ' none'",
            "unset: [$y] [${nothing}]                => 'unset: [] []'",
            "costs $$5                               => costs $5",
            "no macros at all                        => no macros at all",
            "''                                      => ''"})
    void expands(String template, String expected) {
        assertThat(expand(template)).isEqualTo(expected);
    }

    @Test
    void xAndBracedXAreTheSameMacro() {
        assertThat(expand("$j")).isEqualTo(expand("${j}"));
        assertThat(MacroTemplate.parse("$j ${j} $?{j}$.").macroNames()).containsExactly("j");
    }

    @Test
    void keepsLineBreaksOfTheTemplate() {
        assertThat(expand("from $s\n\tby $j")).isEqualTo("from client.example.net\n\tby relay.example.com");
    }

    @Test
    void listsEveryMacroItRefersTo() {
        MacroTemplate t = MacroTemplate.parse("$?sfrom $s $.$?_($?s$|from $.$_)$.by $j${cipher}$&{verify}");
        assertThat(t.macroNames()).containsExactlyInAnyOrder("s", "_", "j", "cipher", "verify");
    }

    @Test
    void theFilterSeesMacroValuesNotTheTemplate() {
        MacroTemplate t = MacroTemplate.parse("<$s>\n\t$j");
        assertThat(t.expand(VALUES, v -> v.toUpperCase())).isEqualTo("<CLIENT.EXAMPLE.NET>\n\tRELAY.EXAMPLE.COM");
    }

    @Test
    void sendmailsReceivedTemplateExpands() {
        String received = "$?sfrom $s $.$?_($?s$|from $.$_)\n\t$.$?{auth_type}(authenticated$?{auth_ssf} bits=${auth_ssf}$.)\n"
                + "\t$.by $j ($v/$Z)$?r with $r$. id $i$?{tls_version}\n"
                + "\t(version=${tls_version} cipher=${cipher} bits=${cipher_bits} verify=${verify})$.$?u\n"
                + "\tfor $u; $|;\n\t$.$b";
        MacroValues v = MacroValues.of(Map.of("s", "helo.test", "_", "[192.0.2.1]", "j", "relay.test", "v", "Postern-1",
                "Z", "1", "r", "ESMTPS", "i", "ID", "tls_version", "TLSv1.3", "cipher", "TLS_AES_256_GCM_SHA384"))
                .or(MacroValues.of(Map.of("cipher_bits", "256", "verify", "NOT")));
        MacroValues withB = v.or(MacroValues.of(Map.of("b", "Mon, 2 Jun 2025 10:00:00 +0000")));
        assertThat(MacroTemplate.parse(received).expand(withB)).isEqualTo("from helo.test ([192.0.2.1])\n"
                + "\tby relay.test (Postern-1/1) with ESMTPS id ID\n"
                + "\t(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT);\n"
                + "\tMon, 2 Jun 2025 10:00:00 +0000");
        assertThat(MacroTemplate.parse(received).expand(MacroValues.of(Map.of("u", "<b@example.net>",
                "auth_type", "PLAIN")).or(withB))).isEqualTo("from helo.test ([192.0.2.1])\n"
                + "\t(authenticated)\n"
                + "\tby relay.test (Postern-1/1) with ESMTPS id ID\n"
                + "\t(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT)\n"
                + "\tfor <b@example.net>; Mon, 2 Jun 2025 10:00:00 +0000");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "by $                => '$' at the end of the text",
            "${j                 => '${' without a closing '}'",
            "${}                 => '{}' is not a macro name",
            "${client-addr}      => '{client-addr}' is not a macro name",
            "$?x unterminated    => the conditional $?x has no closing '$.'",
            "$?{tls} a $| b      => the conditional $?{tls} has no closing '$.'",
            "$?x a $| b $| c $.  => a second '$|' in the conditional",
            "stray $.            => '$.' outside a $?x conditional",
            "stray $| else       => '$|' outside a $?x conditional",
            "$>CheckSubject      => '$>' calls a ruleset",
            "$*                  => '$*' is a rewriting-rule operator",
            "$1                  => '$1' is a rewriting-rule operator",
            "${1}                => '$1' is a rewriting-rule operator",
            "$=w                 => '$=' is a rewriting-rule operator",
            "$?                  => a macro name must follow '$?'",
            "$!                  => '!' is not a macro name"})
    void refuses(String template, String message) {
        assertThatThrownBy(() -> MacroTemplate.parse(template)).isInstanceOf(MacroSyntaxException.class)
                .hasMessageContaining(message).hasMessageContaining("at offset");
    }
}
