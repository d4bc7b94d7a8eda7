package org.postern.rewriting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.GenericsProperties;
import org.postern.config.MasqueradeProperties;
import org.postern.config.RewritingProperties;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;
import org.postern.smtp.MailAddress;

/**
 * What a mailer's S= and R= resolve to: sendmail's standard rule set names exist and only qualify
 * until defined; masquerading named only as a header rule set leaves the envelope alone (sendmail's
 * default, without FEATURE(masquerade_envelope)); R=.../HdrFromSMTP masquerades recipient headers
 * (FEATURE(allmasquerade)); the null sender is never rewritten; a genericstable file is read.
 */
class RewritingRulesTest {

    private static final String J = "relay.test";

    @TempDir
    Path dir;

    private static MailAddress a(String text) {
        int at = text.indexOf('@');
        return at < 0 ? new MailAddress(text, null) : new MailAddress(text.substring(0, at), text.substring(at + 1));
    }

    private static RuleSet masq(String name) {
        return new RuleSet(name, Map.of(), null,
                new Masquerade("example.com", Set.of("mail.example.com"), false, Set.of(), Set.of(), true), J);
    }

    private static MailerDefinition mailer(String sender, String recipient) {
        return MailerDefinition.builder("m").senderRewriting(RewritingRef.parse(sender))
                .recipientRewriting(RewritingRef.parse(recipient)).build();
    }

    @Test
    void standardRuleSetsOnlyQualifyUntilDefined() {
        RewritingRules rules = new RewritingRules(Map.of(), J);
        MailerRewriting esmtp = rules.forMailer(Mailers.builtIn().get("esmtp"));
        assertThat(esmtp.envelopeSender().name()).isEqualTo("EnvFromSMTP");
        assertThat(esmtp.headerSender().name()).isEqualTo("HdrFromSMTP");
        assertThat(esmtp.envelopeRecipient().name()).isEqualTo("EnvToSMTP");
        assertThat(esmtp.headerRecipient().name()).isEqualTo("EnvToSMTP");
        MailAddress qualified = a("alice@mail.example.com");
        assertThat(esmtp.sender(qualified)).isSameAs(qualified);
        assertThat(esmtp.sender(a("joe"))).isEqualTo(a("joe@relay.test"));
        assertThat(esmtp.headers().rewriteField("To", " postmaster")).isEqualTo(" postmaster@relay.test");
        assertThat(rules.forMailer(Mailers.builtIn().get("relay")).envelopeRecipient().name()).isEqualTo("MasqSMTP");
    }

    @Test
    void masqueradingTheHeaderRuleSetLeavesTheEnvelopeAsSendmailDoes() {
        RewritingRules rules = new RewritingRules(Map.of("HdrFromSMTP", masq("HdrFromSMTP")), J);
        MailerRewriting esmtp = rules.forMailer(Mailers.builtIn().get("esmtp"));
        assertThat(esmtp.sender(a("alice@mail.example.com"))).isEqualTo(a("alice@mail.example.com"));
        assertThat(esmtp.headers().rewriteField("From", " alice@mail.example.com")).isEqualTo(" alice@example.com");
        // recipients' headers are not masqueraded without allmasquerade
        assertThat(esmtp.headers().rewriteField("To", " bob@mail.example.com")).isEqualTo(" bob@mail.example.com");
        // FEATURE(masquerade_envelope): the same masquerading as EnvFromSMTP
        RewritingRules envelope = new RewritingRules(Map.of("HdrFromSMTP", masq("HdrFromSMTP"),
                "EnvFromSMTP", masq("EnvFromSMTP")), J);
        assertThat(envelope.forMailer(Mailers.builtIn().get("esmtp")).sender(a("alice@mail.example.com")))
                .isEqualTo(a("alice@example.com"));
    }

    @Test
    void allmasqueradeIsRecipientHeadersThroughHdrFromSMTP() {
        RewritingRules rules = new RewritingRules(Map.of("HdrFromSMTP", masq("HdrFromSMTP")), J);
        MailerRewriting m = rules.forMailer(mailer("EnvFromSMTP/HdrFromSMTP", "EnvToSMTP/HdrFromSMTP"));
        assertThat(m.headers().rewriteField("Cc", " bob@mail.example.com")).isEqualTo(" bob@example.com");
        assertThat(m.recipient(a("bob@mail.example.com"))).isEqualTo(a("bob@mail.example.com"));
    }

    @Test
    void zeroOrAnEmptySideRewritesNothingAndTheNullSenderNeverChanges() {
        RewritingRules rules = new RewritingRules(Map.of("Masq", masq("Masq")), J);
        MailerRewriting m = rules.forMailer(mailer("Masq", "0/Masq"));
        assertThat(m.envelopeRecipient()).isNull();
        assertThat(m.sender(MailAddress.NULL_SENDER)).isSameAs(MailAddress.NULL_SENDER);
        assertThat(m.sender(a("a@mail.example.com"))).isEqualTo(a("a@example.com"));
        assertThat(m.recipient(a("b@mail.example.com"))).isEqualTo(a("b@mail.example.com"));
        MailerRewriting none = rules.forMailer(mailer("0", "0"));
        assertThat(none.rewritesHeaders()).isFalse();
        assertThat(none.headers()).isNull();
    }

    @Test
    void namesAreFoundWithoutRegardToCaseAndUnknownOnesFailNamingTheProperty() {
        RewritingRules rules = new RewritingRules(Map.of("masqhdr", masq("masqhdr")), J);
        assertThat(rules.forMailer(mailer("0/MasqHdr", "0")).headerSender().name()).isEqualTo("masqhdr");
        assertThatThrownBy(() -> rules.forMailer(mailer("0", "Generics")))
                .hasMessageStartingWith("postern.mailers.m.recipient: no rewriting rule set named 'Generics'");
        assertThatThrownBy(() -> new RewritingRules(Map.of("Masq", masq("Masq"), "MASQ", masq("MASQ")), J))
                .hasMessageContaining("differ only in case");
    }

    @Test
    void aGenericsTableFileIsReadAtStartup() throws IOException {
        Path table = Files.writeString(dir.resolve("genericstable"), """
                # generated by the directory sync
                jdoe            john.doe@example.com
                @legacy.example %1@example.com
                """);
        RewritingProperties p = new RewritingProperties(null,
                new GenericsProperties(List.of("corp.example", "legacy.example"), false, List.of("ops ops-team@example.com"),
                        table),
                new MasqueradeProperties("", null, false, null, null, true));
        RuleSet set = RuleSets.build(Map.of("Generics", p), J).get("Generics");
        assertThat(set.apply(a("jdoe@corp.example"))).isEqualTo(a("john.doe@example.com"));
        assertThat(set.apply(a("ops@corp.example"))).isEqualTo(a("ops-team@example.com"));
        assertThat(set.apply(a("kim@legacy.example"))).isEqualTo(a("kim@example.com"));
        RewritingProperties twice = new RewritingProperties(null,
                new GenericsProperties(List.of(), false, List.of("jdoe other@example.com"), table),
                new MasqueradeProperties("", null, false, null, null, true));
        assertThatThrownBy(() -> RuleSets.build(Map.of("G", twice), J))
                .hasMessageContaining("postern.rewriting.G.generics.file: key 'jdoe' of " + table
                        + " is also in postern.rewriting.G.generics.entries");
    }
}
