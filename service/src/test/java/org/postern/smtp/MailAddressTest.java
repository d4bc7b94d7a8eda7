package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The path parser behind MAIL FROM and RCPT TO (RFC 5321 §4.1.2, RFC 6531): what it accepts and why it refuses. */
class MailAddressTest {

    private static MailAddress path(String path) throws AddressException {
        return MailAddress.parsePath(path, false);
    }

    private static String refusal(String path, boolean utf8) {
        AddressException e = catchThrowableOfType(AddressException.class, () -> MailAddress.parsePath(path, utf8));
        assertThat(e).as("refusal of %s", path).isNotNull();
        return e.getMessage();
    }

    @Test
    void plainMailboxSplitsIntoLocalPartAndDomain() throws AddressException {
        MailAddress a = path("<John.Doe+tag@Example.COM>");
        assertThat(a.localPart()).isEqualTo("John.Doe+tag");
        assertThat(a.domain()).isEqualTo("Example.COM");
        assertThat(a.domainLowerCase()).isEqualTo("example.com");
        assertThat(a.isQualified()).isTrue();
        assertThat(a.isNullSender()).isFalse();
        assertThat(a.isInternationalized()).isFalse();
        assertThat(a).hasToString("John.Doe+tag@Example.COM");
    }

    @Test
    void everyAtextCharacterIsAllowedInADotString() throws AddressException {
        String atext = "!#$%&'*+-/=?^_`{|}~";
        assertThat(path("<" + atext + ".az.AZ.09@example.com>").localPart()).isEqualTo(atext + ".az.AZ.09");
    }

    @Test
    void emptyPathIsTheNullSender() throws AddressException {
        MailAddress a = path("<>");
        assertThat(a).isSameAs(MailAddress.NULL_SENDER);
        assertThat(a.isNullSender()).isTrue();
        assertThat(a).hasToString("");
    }

    @Test
    void quotedLocalPartKeepsSpacesAtSignsAndQuotedPairs() throws AddressException {
        MailAddress a = path("<\"john doe@home\"@example.com>");
        assertThat(a.localPart()).isEqualTo("\"john doe@home\"");
        assertThat(a.domain()).isEqualTo("example.com");

        MailAddress escaped = path("<\"a\\\"b\\\\c\"@example.com>");
        assertThat(escaped.localPart()).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(escaped.domain()).isEqualTo("example.com");
    }

    @Test
    void malformedQuotedLocalPartsAreRefused() {
        assertThat(refusal("<\"unterminated@example.com>", false)).isEqualTo("unterminated quoted local part");
        assertThat(refusal("<\"tab\there\"@example.com>", false)).isEqualTo("control character in quoted local part");
        assertThat(refusal("<\"a\\\u0001\"@example.com>", false)).isEqualTo("bad quoted pair");
        assertThat(refusal("<\"quoted\"tail@example.com>", false)).isEqualTo("malformed local part");
    }

    @Test
    void sourceRouteIsDropped() throws AddressException {
        MailAddress a = path("<@hop1.example,@hop2.example:user@final.example>");
        assertThat(a).isEqualTo(new MailAddress("user", "final.example"));

        assertThat(path("<@hop.example:user@final.example>")).isEqualTo(new MailAddress("user", "final.example"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<@hop.example user@final.example>  | source route without mailbox",
            "<@:user@final.example>             | malformed source route",
            "<@hop.example,hop2:user@x.example> | malformed source route",
            "<@hop.example,:user@x.example>     | malformed source route",
            "<@bad_hop:user@x.example>          | malformed source route",
            "<@hop.example:>                    | empty mailbox",
    })
    void malformedSourceRoutesAreRefused(String path, String reason) {
        assertThat(refusal(path, false)).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[127.0.0.1]", "[192.0.2.255]", "[0.0.0.0]", "[IPv6:::1]", "[IPv6:2001:db8::25]",
            "[ipv6:2001:DB8:0:0:0:0:0:1]", "[IPv6:::ffff:192.0.2.1]"})
    void addressLiteralsAreDomains(String literal) throws AddressException {
        MailAddress a = path("<postmaster@" + literal + ">");
        assertThat(a.localPart()).isEqualTo("postmaster");
        assertThat(a.domain()).isEqualTo(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[256.0.0.1]", "[1.2.3]", "[1.2.3.4.5]", "[]", "[example.com]", "[IPv6:]",
            "[IPv6:1.2.3.4]", "[IPv6:zz::1]", "[IPv6:12345::1]", "[IPv6:1:2]", "[IPv6:1::2::3]",
            "[IPv6:1:2:3:4:5:6:7:8:9]", "[127.0.0.1", "127.0.0.1]", "[tag:content]"})
    void malformedAddressLiteralsAreRefused(String literal) {
        assertThat(refusal("<postmaster@" + literal + ">", false)).isEqualTo("malformed domain");
    }

    @Test
    void unqualifiedMailboxHasNoDomain() throws AddressException {
        MailAddress a = path("<postmaster>");
        assertThat(a.localPart()).isEqualTo("postmaster");
        assertThat(a.domain()).isNull();
        assertThat(a.isQualified()).isFalse();
        assertThat(a.isNullSender()).isFalse();
        assertThat(a.domainLowerCase()).isNull();
        assertThat(a).hasToString("postmaster");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<.a@example.com>         | empty atom in local part",
            "<a.@example.com>         | empty atom in local part",
            "<a..b@example.com>       | empty atom in local part",
            "<a b@example.com>        | invalid character in local part",
            "<a(b)@example.com>       | invalid character in local part",
            "<a@>                     | malformed domain",
            "<a@.example.com>         | malformed domain",
            "<a@example.com.>         | malformed domain",
            "<a@example..com>         | malformed domain",
            "<a@-example.com>         | malformed domain",
            "<a@example-.com>         | malformed domain",
            "<a@exa_mple.com>         | malformed domain",
            "<a@b@example.com>        | malformed domain",
    })
    void emptyAtomsAndBadCharactersAreRefused(String path, String reason) {
        assertThat(refusal(path, false)).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<", ">", "a@example.com", "<a@example.com", "a@example.com>", " <a@example.com>"})
    void pathsWithoutAngleBracketsAreRefused(String path) {
        assertThat(refusal(path, false)).isEqualTo("path must be enclosed in angle brackets");
    }

    @Test
    void localPartIsLimitedTo64Octets() throws AddressException {
        assertThat(path("<" + "a".repeat(64) + "@example.com>").localPart()).hasSize(64);
        assertThat(refusal("<" + "a".repeat(65) + "@example.com>", false)).isEqualTo("local part too long");
        // Octets, not characters: 32 two-byte characters fill it, one more does not fit.
        assertThat(MailAddress.parsePath("<" + "é".repeat(32) + "@example.com>", true).localPart()).hasSize(32);
        assertThat(refusal("<" + "é".repeat(32) + "a@example.com>", true)).isEqualTo("local part too long");
    }

    @Test
    void labelsAreLimitedTo63Characters() throws AddressException {
        assertThat(path("<a@" + "b".repeat(63) + ".example>").domain()).startsWith("bbb");
        assertThat(refusal("<a@" + "b".repeat(64) + ".example>", false)).isEqualTo("malformed domain");
    }

    @Test
    void domainIsLimitedTo255Octets() throws AddressException {
        String domain255 = ("d".repeat(63) + ".").repeat(3) + "d".repeat(63); // 4 * 63 + 3 = 255
        assertThat(domain255).hasSize(255);
        assertThat(MailAddress.parseMailbox("a@" + domain255, false).domain()).isEqualTo(domain255);
        assertThat(catchThrowableOfType(AddressException.class,
                () -> MailAddress.parseMailbox("a@" + domain255 + "e", false))).hasMessage("domain too long");
    }

    @Test
    void pathIsLimitedTo256OctetsIncludingBrackets() throws AddressException {
        String local = "l".repeat(64);
        String domain = ("d".repeat(60) + ".").repeat(3) + "d".repeat(6); // 189
        String path256 = "<" + local + "@" + domain + ">";
        assertThat(path256).hasSize(256);
        assertThat(path(path256).domain()).isEqualTo(domain);
        assertThat(refusal("<" + local + "@" + domain + "d>", false)).isEqualTo("path too long");
        // A source route counts towards the path, even though it is dropped.
        String mailbox = local + "@" + ("d".repeat(60) + ".").repeat(2) + "d".repeat(28); // 215 octets
        assertThat(path("<" + mailbox + ">").localPart()).isEqualTo(local);
        assertThat(refusal("<@" + "r".repeat(40) + ":" + mailbox + ">", false)).isEqualTo("path too long");
    }

    @Test
    void utf8AddressWithoutSmtpUtf8AsksForIt() {
        for (String p : new String[] {"<jörg@example.com>", "<joerg@bücher.example>", "<\"jö rg\"@example.com>",
                "<用户@例子.广告>"}) {
            AddressException e = catchThrowableOfType(AddressException.class, () -> MailAddress.parsePath(p, false));
            assertThat(e).as(p).isNotNull();
            assertThat(e.needsSmtpUtf8()).as(p).isTrue();
        }
    }

    @Test
    void asciiSyntaxErrorsDoNotAskForSmtpUtf8() {
        AddressException e = catchThrowableOfType(AddressException.class, () -> path("<a..b@example.com>"));
        assertThat(e.needsSmtpUtf8()).isFalse();
    }

    @Test
    void utf8AddressWithSmtpUtf8IsInternationalized() throws AddressException {
        MailAddress a = MailAddress.parsePath("<jörg@bücher.example>", true);
        assertThat(a.localPart()).isEqualTo("jörg");
        assertThat(a.domain()).isEqualTo("bücher.example");
        assertThat(a.isInternationalized()).isTrue();

        MailAddress cjk = MailAddress.parsePath("<用户@例子.广告>", true);
        assertThat(cjk).isEqualTo(new MailAddress("用户", "例子.广告"));
        assertThat(cjk.isInternationalized()).isTrue();

        assertThat(MailAddress.parsePath("<ascii@example.com>", true).isInternationalized()).isFalse();
        assertThat(new MailAddress("ascii", "bücher.example").isInternationalized()).isTrue();
    }

    @Test
    void utf8DoesNotOpenTheDoorToSpacesOrSymbolsInDomains() {
        assertThat(refusal("<jörg@bü cher.example>", true)).isEqualTo("malformed domain");
        assertThat(refusal("<jörg@bücher€.example>", true)).isEqualTo("malformed domain");
        assertThat(refusal("<jö\u2028rg@example.com>", true)).isEqualTo("invalid character in local part");
    }

    @Test
    void parseMailboxRefusesEmptyInput() {
        assertThatThrownBy(() -> MailAddress.parseMailbox("", false)).isInstanceOf(AddressException.class)
                .hasMessage("empty mailbox");
    }
}
