package org.postern.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postern.macro.MacroValues;
import org.postern.macro.StandardMacros;

/** How configured lines combine with the defaults, and what the configuration check refuses. */
class HeaderRulesTest {

    static HeaderRules build(List<String> lines, Map<String, List<HeaderCheck>> rulesets, Map<String, String> macros) {
        List<HeaderRules.Configured> configured = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            configured.add(new HeaderRules.Configured("postern.headers[" + i + "]", HeaderLineParser.parse(lines.get(i))));
        }
        return HeaderRules.build(configured, rulesets, macros, "relay.test", Map.of());
    }

    static HeaderRules build(String... lines) {
        return build(List.of(lines), Map.of(), Map.of());
    }

    @Test
    void theDefaultsAreSendmailsStandardLines() {
        HeaderRules rules = HeaderRules.defaults("relay.test");
        assertThat(rules.lines()).containsExactlyInAnyOrderElementsOf(HeaderDefaults.LINES);
        assertThat(rules.received().line()).isEqualTo(HeaderDefaults.RECEIVED);
        assertThat(rules.deliveryRules()).extracting(HeaderRule::name).containsExactly("Return-Path", "Resent-Date",
                "Date", "Resent-From", "From", "Full-Name", "Resent-Message-Id", "Message-Id");
        assertThat(rules.checks().isEmpty()).isTrue();
        assertThat(rules.configMacros().get("j")).isEqualTo("relay.test");
    }

    @Test
    void aConfiguredRuleReplacesTheDefaultsOfItsNameInPlaceAndNewOnesFollow() {
        HeaderRules rules = build("HX-Relay: $j", "H?M?Message-Id: <$i.$t@$j>", "H?D?Date: $b", "HX-Second: $i");
        assertThat(rules.deliveryRules()).extracting(HeaderRule::line).containsExactly("H?P?Return-Path: <$g>",
                "H?D?Resent-Date: $a", "H?D?Date: $b", "H?F?Resent-From: $?x$x <$g>$|$g$.", "H?F?From: $?x$x <$g>$|$g$.",
                "H?x?Full-Name: $x", "H?M?Resent-Message-Id: <$t.$i@$j>", "H?M?Message-Id: <$i.$t@$j>",
                "HX-Relay: $j", "HX-Second: $i");
    }

    @Test
    void anEmptyTemplateDisablesADefault() {
        HeaderRules rules = build("H?M?Message-Id:");
        HeaderRule messageId = rules.deliveryRules().stream().filter(r -> r.is("Message-Id")).findFirst().orElseThrow();
        assertThat(messageId.render(MacroValues.of(Map.of("i", "x", "j", "y", "t", "z")))).isNull();
    }

    @Test
    void theReceivedRuleIsExpandedAtReceiptWithTheConfigurationsMacros() {
        HeaderRules rules = build("HReceived: from $s by $j ($v) id $i; $b");
        byte[] received = rules.received(MacroValues.of(Map.of("s", "helo.test", "i", "QID", "b", "now")));
        assertThat(new String(received, StandardCharsets.UTF_8))
                .isEqualTo("Received: from helo.test by relay.test (Postern-" + StandardMacros.VERSION
                        + ") id QID; now\r\n");
    }

    @Test
    void theOperatorsMacrosAreKnownAndSet() {
        HeaderRules rules = build(List.of("H?${Site}?X-Site: ${Site} $Z"), Map.of(), Map.of("Site", "eu-1", "Z", "42"));
        assertThat(rules.configMacros().get("Site")).isEqualTo("eu-1");
        assertThat(rules.configMacros().get("Z")).isEqualTo("42");
    }

    @Test
    void unknownMacrosFailNamingTheProperty() {
        assertThatThrownBy(() -> build("HX-A: $j", "HX-B: ${MyMacro}"))
                .hasMessageStartingWith("postern.headers[1]: unknown macro ${MyMacro}");
        assertThatThrownBy(() -> build("H?${MyMacro}?X-B: $j"))
                .hasMessageStartingWith("postern.headers[0]: unknown macro ${MyMacro}");
    }

    @Test
    void macrosMustHaveAValueWhereTheRuleIsExpanded() {
        assertThatThrownBy(() -> build("HX-Tls: ${tls_version}"))
                .hasMessageStartingWith("postern.headers[0]: macro ${tls_version} has no value at delivery");
        assertThatThrownBy(() -> build("HReceived: from $s for $h; $b"))
                .hasMessageStartingWith("postern.headers[0]: macro $h has no value at receipt");
    }

    @Test
    void theReceivedRuleIsUnconditionalAndNeverEmpty() {
        assertThatThrownBy(() -> build("H?D?Received: $b")).hasMessageContaining("postern.headers[0]: the Received rule"
                + " takes no ?…? condition");
        assertThatThrownBy(() -> build("HReceived:")).hasMessageContaining("the Received rule cannot be empty");
        assertThatThrownBy(() -> build("HReceived: a; $b", "HReceived: b; $b"))
                .hasMessageStartingWith("postern.headers[1]: a second Received rule");
    }

    @Test
    void headerChecksNeedTheirRulesetAndOneRulesetPerHeader() {
        Map<String, List<HeaderCheck>> rulesets = Map.of("CheckSubject",
                List.of(new HeaderCheck(Pattern.compile("x"), HeaderCheck.Action.REJECT, null)));
        assertThatThrownBy(() -> build(List.of("HSubject: $>CheckSubjet"), rulesets, Map.of()))
                .hasMessage("postern.headers[0]: ruleset CheckSubjet is not defined (postern.header-checks.CheckSubjet)");
        assertThatThrownBy(() -> build(List.of("HSubject: $>CheckSubject", "HSubject: $>+CheckSubject"), rulesets,
                Map.of())).hasMessageStartingWith("postern.headers[1]: header Subject is already bound to a ruleset by"
                        + " postern.headers[0]");
        HeaderRules ok = build(List.of("Hsubject: $>checksubject"), rulesets, Map.of());
        assertThat(ok.checks().isEmpty()).isFalse();
        assertThat(ok.deliveryRules()).hasSize(8); // a check line adds no delivery rule
    }
}
