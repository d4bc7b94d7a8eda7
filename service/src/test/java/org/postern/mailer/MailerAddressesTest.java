package org.postern.mailer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postern.smtp.MailAddress;

/** Flags g, u, h, s and B on envelope addresses. */
class MailerAddressesTest {

    private static MailerDefinition mailer(String flags) {
        return MailerDefinition.builder("x").flags(flags).build();
    }

    @Test
    void flagGReplacesTheNullSender() {
        MailAddress daemon = MailerAddresses.sender(mailer("mg"), MailAddress.NULL_SENDER, "relay.test");
        assertThat(daemon).hasToString("MAILER-DAEMON@relay.test");
        assertThat(MailerAddresses.sender(mailer("m"), MailAddress.NULL_SENDER, "relay.test")).isSameAs(
                MailAddress.NULL_SENDER);
        MailAddress someone = new MailAddress("a", "example.org");
        assertThat(MailerAddresses.sender(mailer("mg"), someone, "relay.test")).isSameAs(someone);
    }

    @Test
    void withoutUAndHTheRecipientIsLowerCased() {
        MailAddress r = new MailAddress("John.Doe", "Example.NET");
        assertThat(MailerAddresses.recipient(mailer(""), r)).hasToString("john.doe@example.net");
        assertThat(MailerAddresses.recipient(mailer("u"), r)).hasToString("John.Doe@example.net");
        assertThat(MailerAddresses.recipient(mailer("h"), r)).hasToString("john.doe@Example.NET");
        assertThat(MailerAddresses.recipient(mailer("uh"), r)).isSameAs(r);
    }

    @Test
    void flagSStripsQuotesAndBALeadingBackslash() {
        MailAddress quoted = new MailAddress("\"john\\\"doe\"", "example.net");
        assertThat(MailerAddresses.recipient(mailer("us"), quoted)).hasToString("john\"doe@example.net");
        assertThat(MailerAddresses.recipient(mailer("u"), quoted)).isSameAs(quoted);
        MailAddress escaped = new MailAddress("\\\\root", "example.net");
        assertThat(MailerAddresses.recipient(mailer("uB"), escaped)).hasToString("root@example.net");
    }
}
