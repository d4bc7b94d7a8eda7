package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderRulesetTranslatorTest {

    private final HeaderRulesetTranslator translator = new HeaderRulesetTranslator(null);

    private static CfRuleset ruleset(String... rules) {
        List<CfLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            lines.add(new CfLine(11 + i, rules[i]));
        }
        return new CfRuleset("Check", new CfLine(10, "SCheck"), lines);
    }

    private static boolean matches(HeaderRulesetTranslator.Check check, String value) {
        return Pattern.compile(check.regex()).matcher(value).find();
    }

    @Test
    void aLiteralWordBetweenWildcardsMatchesThatWholeTokenWithoutRegardToCase() {
        var t = translator.translate(ruleset("R$* viagra $*\t\t$#error $: 553 Spam rejected"));
        assertThat(t.translated()).isTrue();
        var check = t.checks().get(0);
        assertThat(check.action()).isEqualTo("reject");
        assertThat(check.text()).isEqualTo("Spam rejected");
        assertThat(matches(check, "Buy VIAGRA now")).isTrue();
        assertThat(matches(check, "viagra")).isTrue();
        assertThat(matches(check, "cheap viagra!")).isTrue(); // '!' is an operator: a token of its own
        assertThat(matches(check, "viagras")).isFalse();
        assertThat(matches(check, "buy-viagra")).isFalse(); // '-' is not an operator: one token
        assertThat(t.notes()).singleElement().asString().contains("553", "550 5.7.1");
    }

    @Test
    void theCfReadmesMessageIdCheckTranslatesRuleByRule() {
        var t = translator.translate(ruleset("R< $+ @ $+ >\t\t$@ OK", "R$*\t\t\t$#error $: 553 Header Error"));
        assertThat(t.translated()).isTrue();
        assertThat(t.checks()).extracting(HeaderRulesetTranslator.Check::action).containsExactly("ok", "reject");
        var ok = t.checks().get(0);
        assertThat(matches(ok, "<1234.5678@host.example>")).isTrue();
        assertThat(matches(ok, " < a @ b > ")).isTrue();
        assertThat(matches(ok, "<@host.example>")).isFalse(); // $+ needs at least one token
        assertThat(matches(ok, "1234@host.example")).isFalse();
        assertThat(t.checks().get(1).regex()).isEmpty(); // $* alone: anything
    }

    @Test
    void wildcardsForOneTokenAndOperatorLiterals() {
        var t = translator.translate(ruleset("R$- . $-\t$#discard $: discard"));
        var check = t.checks().get(0);
        assertThat(check.action()).isEqualTo("discard");
        assertThat(matches(check, "foo.bar")).isTrue();
        assertThat(matches(check, "foo . bar")).isTrue();
        assertThat(matches(check, "foo.bar.baz")).isFalse();
        assertThat(matches(check, "foo bar.baz")).isFalse();
    }

    @Test
    void theReplyTextLosesQuotesCodeAndStatus() {
        var t = translator.translate(ruleset("R$* spam $*\t$#error $@ 5.7.0 $: \"550 5.7.0 spam rejected.\""));
        assertThat(t.checks().get(0).text()).isEqualTo("spam rejected.");
        assertThat(t.notes()).singleElement().asString().contains("5.7.0");
        var same = translator.translate(ruleset("R$* spam $*\t$#error $: 550 5.7.1 No"));
        assertThat(same.notes()).isEmpty();
    }

    @Test
    void rulesThatDependOnStateAreNotTranslatedAndTheReasonNamesTheLine() {
        assertThat(translator.translate(ruleset("R$={RejectTo}@$*\t$#error $: 553 no")).failure())
                .contains("line 11", "class $={RejectTo}");
        assertThat(translator.translate(ruleset("R$*\t$: $(storage {X} $@ OK $) $1", "R$*\t$#discard")).failure())
                .contains("line 11", "$:");
        assertThat(translator.translate(ruleset("R$*\t$: $(advsubj $&{currHeader} $: OK $)")).failure())
                .contains("line 11");
        assertThat(translator.translate(ruleset("R$* $&{client_addr}\t$#error $: 553 no")).failure())
                .contains("macro $&{client_addr}");
        assertThat(translator.translate(ruleset("R$*\t$#esmtp $@ host $: user")).failure()).contains("mailer 'esmtp'");
        assertThat(translator.translate(ruleset("R$*\t$@ $>Other $1")).failure()).contains("calls a rule set");
        assertThat(translator.translate(ruleset()).failure()).contains("no rules");
    }

    @Test
    void operatorCharsOfTheCfDecideWhatIsAToken() {
        var plain = new HeaderRulesetTranslator(".").translate(ruleset("R$* viagra $*\t$#error $: no"));
        // With only '.' as an operator, '!' is part of the word token.
        assertThat(matches(plain.checks().get(0), "viagra!")).isFalse();
        assertThat(matches(plain.checks().get(0), "viagra.")).isTrue();
    }
}
