package org.postern.rewriting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.smtp.MailAddress;

/**
 * Rule sets behave as sendmail's MasqHdr/MasqEnv with the features an administrator knows:
 * MASQUERADE_AS with MASQUERADE_DOMAIN, masquerade_entire_domain, MASQUERADE_EXCEPTION and
 * EXPOSED_USER; genericstable with its key order; domaintable; and the qualification of what is
 * left unqualified.
 */
class RuleSetTest {

    private static final String J = "relay.test";

    private static MailAddress a(String text) {
        int at = text.lastIndexOf('@');
        return at < 0 ? new MailAddress(text, null) : new MailAddress(text.substring(0, at), text.substring(at + 1));
    }

    private static Masquerade masquerade(boolean entireDomain) {
        return new Masquerade("example.com", Set.of("mail.example.com", "Example.COM"), entireDomain,
                Set.of("exempt.example.com"), Set.of("Root", "postmaster"), true);
    }

    private static RuleSet masq(boolean entireDomain) {
        return new RuleSet("Masq", Map.of(), null, masquerade(entireDomain), J);
    }

    @Test
    void masqueradedDomainsTakeTheMasqueradeHost() {
        RuleSet masq = masq(false);
        assertThat(masq.apply(a("alice@mail.example.com"))).isEqualTo(a("alice@example.com"));
        assertThat(masq.apply(a("Alice@MAIL.Example.Com"))).isEqualTo(a("Alice@example.com"));
        assertThat(masq.apply(a("alice@example.com"))).isEqualTo(a("alice@example.com"));
        // without masquerade_entire_domain only the listed names are masqueraded
        MailAddress other = a("alice@host.mail.example.com");
        assertThat(masq.apply(other)).isSameAs(other);
        MailAddress foreign = a("bob@example.org");
        assertThat(masq.apply(foreign)).isSameAs(foreign);
    }

    @Test
    void entireDomainTakesSubdomainsButNotExceptions() {
        RuleSet masq = masq(true);
        assertThat(masq.apply(a("alice@host.mail.example.com"))).isEqualTo(a("alice@example.com"));
        assertThat(masq.apply(a("alice@a.b.example.com"))).isEqualTo(a("alice@example.com"));
        assertThat(masq.apply(a("alice@exempt.example.com"))).isEqualTo(a("alice@exempt.example.com"));
        assertThat(masq.apply(a("alice@x.exempt.example.com"))).isEqualTo(a("alice@x.exempt.example.com"));
        assertThat(masq.apply(a("alice@notexample.com"))).isEqualTo(a("alice@notexample.com"));
    }

    @Test
    void exposedUsersKeepTheirDomainAndUnqualifiedOnesGetTheRelaysName() {
        RuleSet masq = masq(false);
        assertThat(masq.apply(a("root@mail.example.com"))).isEqualTo(a("root@mail.example.com"));
        assertThat(masq.apply(a("ROOT@mail.example.com"))).isEqualTo(a("ROOT@mail.example.com"));
        assertThat(masq.apply(a("root"))).isEqualTo(a("root@relay.test"));
    }

    @Test
    void unqualifiedAddressesGetTheMasqueradeHostUnlessTurnedOff() {
        assertThat(masq(false).apply(a("joe"))).isEqualTo(a("joe@example.com"));
        RuleSet off = new RuleSet("M", Map.of(), null,
                new Masquerade("example.com", Set.of(), false, Set.of(), Set.of(), false), J);
        assertThat(off.apply(a("joe"))).isEqualTo(a("joe@relay.test"));
    }

    @Test
    void theNullSenderAndAddressLiteralsAreNeverRewritten() {
        RuleSet masq = masq(true);
        assertThat(masq.apply(MailAddress.NULL_SENDER)).isSameAs(MailAddress.NULL_SENDER);
        MailAddress literal = a("alice@[192.0.2.1]");
        assertThat(masq.apply(literal)).isSameAs(literal);
    }

    private static GenericsTable generics(String... lines) {
        return new GenericsTable(Set.of("example.com"), false, GenericsTable.parseSource(List.of(lines), "test"));
    }

    @Test
    void genericsTriesFullAddressThenDetailThenDomainThenLocalPart() {
        GenericsTable table = generics(
                "alice@example.com    alice.smith@example.org",
                "alice                wrong@example.org",
                "bob+*@example.com    robert+%1@example.org",
                "carol@example.com    carol.c@example.org",
                "dave                 david@example.net",
                "erin+*               e.%1@example.net",
                "@example.com         %1@legacy.example");
        RuleSet set = new RuleSet("G", Map.of(), table, null, J);
        assertThat(set.apply(a("alice@example.com"))).isEqualTo(a("alice.smith@example.org"));
        assertThat(set.apply(a("ALICE@Example.Com"))).isEqualTo(a("alice.smith@example.org"));
        assertThat(set.apply(a("bob+Sales@example.com"))).isEqualTo(a("robert+Sales@example.org"));
        assertThat(set.apply(a("carol+x@example.com"))).isEqualTo(a("carol.c@example.org"));
        // @domain comes before the local part alone
        assertThat(set.apply(a("dave@example.com"))).isEqualTo(a("dave@legacy.example"));
        assertThat(set.apply(a("frank+y@example.com"))).isEqualTo(a("frank+y@legacy.example"));
    }

    @Test
    void localPartKeysApplyToGenericsDomainsAndUnqualifiedAddressesOnly() {
        GenericsTable table = generics("dave david@example.net", "erin+* e.%1@example.net", "frank frank");
        RuleSet set = new RuleSet("G", Map.of(), table, null, J);
        assertThat(set.apply(a("dave@example.com"))).isEqualTo(a("david@example.net"));
        assertThat(set.apply(a("dave"))).isEqualTo(a("david@example.net"));
        assertThat(set.apply(a("erin+news"))).isEqualTo(a("e.news@example.net"));
        MailAddress elsewhere = a("dave@example.org"); // not a GENERICS_DOMAIN
        assertThat(set.apply(elsewhere)).isSameAs(elsewhere);
        // an unqualified value is qualified with the relay's name when nothing masquerades it
        assertThat(set.apply(a("frank@example.com"))).isEqualTo(a("frank@relay.test"));
    }

    @Test
    void genericsEntireDomainLooksUpSubdomains() {
        GenericsTable table = new GenericsTable(Set.of("example.com"), true,
                GenericsTable.parseSource(List.of("dave david@example.net"), "test"));
        RuleSet set = new RuleSet("G", Map.of(), table, null, J);
        assertThat(set.apply(a("dave@host.example.com"))).isEqualTo(a("david@example.net"));
    }

    @Test
    void aQualifiedGenericIsFinalAnUnqualifiedOneIsMasqueraded() {
        GenericsTable table = generics("alice alice.smith", "bob bob@elsewhere.example");
        RuleSet set = new RuleSet("GM", Map.of(), table, masquerade(false), J);
        assertThat(set.apply(a("alice@example.com"))).isEqualTo(a("alice.smith@example.com"));
        assertThat(set.apply(a("bob@example.com"))).isEqualTo(a("bob@elsewhere.example"));
        assertThat(set.apply(a("carol@mail.example.com"))).isEqualTo(a("carol@example.com"));
    }

    @Test
    void domainTableRenamesExactDomainsBeforeTheOtherRules() {
        RuleSet set = new RuleSet("D", Map.of("Old.Example", "new.example", "mail.legacy.example", "mail.example.com"),
                null, masquerade(false), J);
        assertThat(set.apply(a("x@old.example"))).isEqualTo(a("x@new.example"));
        assertThat(set.apply(a("x@sub.old.example"))).isEqualTo(a("x@sub.old.example"));
        // renamed into a masqueraded domain, then masqueraded
        assertThat(set.apply(a("x@mail.legacy.example"))).isEqualTo(a("x@example.com"));
    }

    @Test
    void makemapSourceFormat() {
        var entries = GenericsTable.parseSource(List.of("# comment", "", "  Alice\talice.smith@example.org  ",
                "@Old.Example %1@example.org"), "t");
        assertThat(entries).containsExactly(Map.entry("alice", "alice.smith@example.org"),
                Map.entry("@old.example", "%1@example.org"));
        assertThatThrownBy(() -> GenericsTable.parseSource(List.of("alice"), "/etc/mail/genericstable"))
                .hasMessage("/etc/mail/genericstable line 1: key 'alice' has no value");
        assertThatThrownBy(() -> GenericsTable.parseSource(List.of("a x@y.example", "# c", "A z@y.example"), "f"))
                .hasMessage("f line 3: duplicate key 'a' (first on line 1)");
        assertThatThrownBy(() -> GenericsTable.parseSource(List.of("a not an address"), "f"))
                .hasMessageStartingWith("f line 1: 'not an address' is not an address");
    }
}
