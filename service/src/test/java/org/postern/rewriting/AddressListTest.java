package org.postern.rewriting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.smtp.MailAddress;

/**
 * The RFC 5322 address-list scanner behind header rewriting: it finds every addr-spec however the
 * field is written, replaces only those, and leaves a field it cannot parse exactly as it was.
 */
class AddressListTest {

    /** Moves example.com addresses to example.net, upper-cases nothing else. */
    private static final UnaryOperator<MailAddress> MOVE = a -> "example.com".equalsIgnoreCase(a.domain())
            ? new MailAddress(a.localPart(), "example.net") : a;

    private static String rewrite(String body) {
        return AddressList.rewrite(body, MOVE);
    }

    @Test
    void bareAddrSpec() {
        assertThat(rewrite(" alice@example.com")).isEqualTo(" alice@example.net");
    }

    @Test
    void displayNameCommentsAndQuotingAreKept() {
        assertThat(rewrite(" \"Smith, Alice\" (sales) <alice@example.com> (work)"))
                .isEqualTo(" \"Smith, Alice\" (sales) <alice@example.net> (work)");
        assertThat(rewrite(" Alice Q. Smith <alice@example.com>")) // obs-phrase: a dot in the name
                .isEqualTo(" Alice Q. Smith <alice@example.net>");
        assertThat(rewrite(" =?UTF-8?Q?J=C3=B6rg?= <jorg@example.com>"))
                .isEqualTo(" =?UTF-8?Q?J=C3=B6rg?= <jorg@example.net>");
        assertThat(rewrite(" alice@example.com (Alice Smith)")).isEqualTo(" alice@example.net (Alice Smith)");
    }

    @Test
    void everyAddressOfAListChangesAndOnlyThose() {
        assertThat(rewrite(" a@example.com, b@example.org,\r\n\t\"C\" <c@example.com>"))
                .isEqualTo(" a@example.net, b@example.org,\r\n\t\"C\" <c@example.net>");
    }

    @Test
    void groupsKeepTheirNameAndRewriteTheirMembers() {
        assertThat(rewrite(" team: a@example.com, B <b@example.com>; , c@example.com"))
                .isEqualTo(" team: a@example.net, B <b@example.net>; , c@example.net");
        assertThat(rewrite(" undisclosed-recipients:;")).isEqualTo(" undisclosed-recipients:;");
    }

    @Test
    void quotedLocalPartsDomainLiteralsAndSourceRoutes() {
        assertThat(AddressList.addresses(" \"john doe\"@example.com"))
                .containsExactly(new MailAddress("\"john doe\"", "example.com"));
        assertThat(rewrite(" \"john doe\"@example.com")).isEqualTo(" \"john doe\"@example.net");
        assertThat(AddressList.addresses(" x@[192.0.2.1]")).containsExactly(new MailAddress("x", "[192.0.2.1]"));
        assertThat(rewrite(" <@relay.example.org,@b.example:alice@example.com>"))
                .isEqualTo(" <@relay.example.org,@b.example:alice@example.net>");
    }

    @Test
    void unqualifiedAddressesAndTheNullAddress() {
        assertThat(AddressList.addresses(" joe, <postmaster>, <>"))
                .containsExactly(new MailAddress("joe", null), new MailAddress("postmaster", null));
        assertThat(AddressList.rewrite(" joe, <>", a -> new MailAddress(a.localPart(), "q.example")))
                .isEqualTo(" joe@q.example, <>");
    }

    @Test
    void foldedAndCommentedAddrSpecsAreFound() {
        assertThat(rewrite(" Alice\r\n <alice@example.com>")).isEqualTo(" Alice\r\n <alice@example.net>");
        // obs-addr-spec: CFWS around the dot and the @; the replacement is the plain addr-spec
        assertThat(rewrite(" alice (x) @ example . com")).isEqualTo(" alice@example.net");
    }

    @Test
    void nonAsciiAddressesAreAddresses() {
        assertThat(rewrite(" Jörg <jörg@example.com>")).isEqualTo(" Jörg <jörg@example.net>");
    }

    @Test
    void unchangedBodyIsTheSameInstance() {
        String body = " bob@example.org";
        assertThat(rewrite(body)).isSameAs(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            " Alice Smith alice@example.com",      // a display name needs angle brackets
            " <alice@example.com",                 // unclosed angle address
            " alice@example.com>",                 // stray '>'
            " \"unterminated <alice@example.com>", // unterminated quoted string
            " (unclosed comment <alice@example.com>",
            " alice@example.com)",
            " group: alice@example.com",           // a group without its ';'
            " a: b: alice@example.com;;",          // nested groups
            " alice@",                             // no domain after '@'
            " alice@example.com; bob@example.com", // ';' outside a group
            " alice@example..com",
            " \\alice@example.com",
    })
    void whatDoesNotParseIsLeftExactlyAsItWas(String body) {
        assertThat(rewrite(body)).isSameAs(body);
        assertThat(AddressList.addresses(body)).isEmpty();
    }

    @Test
    void aFailingRewriterLeavesTheFieldAlone() {
        String body = " a@example.com";
        assertThat(AddressList.rewrite(body, a -> {
            throw new IllegalStateException("boom");
        })).isSameAs(body);
    }
}
