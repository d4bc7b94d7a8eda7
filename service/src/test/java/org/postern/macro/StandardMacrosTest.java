package org.postern.macro;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/** The values Postern gives the documented macros, in sendmail's forms. */
class StandardMacrosTest {

    private static Envelope envelope(MailAddress sender, String client, String auth) {
        return new Envelope("1K0R9V0R788003WRAGYM", Instant.parse("2025-06-02T10:15:30Z"), sender,
                List.of(Recipient.of(new MailAddress("b", "example.net")),
                        new Recipient(new MailAddress("c", "example.org"), Set.of(DsnNotify.FAILURE), null)),
                BodyType.EIGHT_BIT_MIME, false, DsnReturn.HDRS, "env+2Did", client, null, "helo(x).test", auth,
                "ESMTPSA", "MSA");
    }

    @Test
    void envelopeMacros() {
        Macros m = StandardMacros.envelope(Macros.builder(),
                envelope(new MailAddress("ann", "example.com"), "192.0.2.1", "ann user")).build();
        assertThat(m.asMap()).containsAllEntriesOf(Map.ofEntries(
                Map.entry("f", "ann@example.com"), Map.entry("g", "ann@example.com"),
                Map.entry("mail_addr", "ann@example.com"), Map.entry("mail_host", "example.com"),
                Map.entry("i", "1K0R9V0R788003WRAGYM"), Map.entry("r", "ESMTPSA"), Map.entry("s", "helo?x?.test"),
                Map.entry("bodytype", "8BITMIME"), Map.entry("dsn_envid", "env+2Did"), Map.entry("envid", "env+2Did"),
                Map.entry("dsn_ret", "hdrs"), Map.entry("nrcpts", "2"), Map.entry("auth_authen", "ann+20user"),
                Map.entry("daemon_name", "MSA"), Map.entry("client_addr", "192.0.2.1"),
                Map.entry("client_name", "[192.0.2.1]"), Map.entry("_", "[192.0.2.1]")));
    }

    @Test
    void theNullSenderIsEmptySoThatAngleBracketsGiveTheNullPath() {
        Macros m = StandardMacros.envelope(Macros.builder(), envelope(MailAddress.NULL_SENDER, "::1", null)).build();
        assertThat(m.get("g")).isEmpty();
        assertThat(m.get("f")).isEmpty();
        assertThat(m.get("mail_host")).isNull();
        assertThat(MacroTemplate.parse("<$g>").expand(m)).isEqualTo("<>");
        assertThat(m.get("client_addr")).isEqualTo("IPv6:::1");
        assertThat(m.get("_")).isEqualTo("[IPv6:::1]");
        assertThat(m.get("auth_authen")).isNull();
    }

    @Test
    void hostMacrosAndTheOperatorsOwn() {
        Macros m = StandardMacros.host(Macros.builder(), "relay.example.com", Map.of("Z", "site-7", "MyMacro", "on"))
                .build();
        assertThat(m.get("j")).isEqualTo("relay.example.com");
        assertThat(m.get("w")).isEqualTo("relay");
        assertThat(m.get("m")).isEqualTo("example.com");
        assertThat(m.get("n")).isEqualTo("MAILER-DAEMON");
        assertThat(m.get("v")).isEqualTo("Postern-" + StandardMacros.VERSION);
        assertThat(m.get("Z")).isEqualTo("site-7");
        assertThat(m.get("MyMacro")).isEqualTo("on");
        assertThat(Long.parseLong(m.get("p"))).isEqualTo(ProcessHandle.current().pid());
        assertThat(StandardMacros.host(Macros.builder(), "localhost", Map.of()).build().get("m")).isNull();
    }

    @Test
    void dates() {
        Macros m = StandardMacros.time(Macros.builder(), Instant.parse("2025-06-02T10:05:30Z"), ZoneOffset.ofHours(2))
                .build();
        assertThat(m.get("b")).isEqualTo("Mon, 2 Jun 2025 12:05:30 +0200");
        assertThat(m.get("d")).isEqualTo("Mon Jun  2 12:05:30 2025");
        assertThat(m.get("t")).isEqualTo("202506021005");
        assertThat(m.get("time")).isEqualTo("1748858730");
    }

    @Test
    void daemonMacrosAndFlagsAsRulesetsSeeThem() throws Exception {
        Macros m = StandardMacros.daemon(Macros.builder(), "MSA", InetAddress.getByName("192.0.2.25"),
                AddressFamily.INET, 587, "Ea").build();
        assertThat(m.asMap()).isEqualTo(Map.of("daemon_name", "MSA", "daemon_addr", "192.0.2.25",
                "daemon_family", "inet", "daemon_port", "587", "daemon_flags", "EE a"));
        assertThat(StandardMacros.daemon(Macros.builder(), "MTA-v6", null, AddressFamily.INET6, 25, "").build()
                .get("daemon_addr")).isEqualTo("::");
        assertThat(StandardMacros.flags("hA")).isEqualTo("h AA");
        assertThat(StandardMacros.flags("")).isEmpty();
    }

    @Test
    void authAndCertificateMacrosAreEncodedAsTheGuideSays() {
        assertThat(StandardMacros.xtext("CN=Darth Mail (Cert)/Email=darth+cert@endmail.org"))
                .isEqualTo("CN=Darth+20Mail+20+28Cert+29/Email=darth+2Bcert@endmail.org");
        assertThat(StandardMacros.xtext("a\\b<c>\"d\"")).isEqualTo("a+5Cb+3Cc+3E+22d+22");
    }

    @Test
    void dsnNotifyAsSendmailShowsIt() {
        assertThat(StandardMacros.notify(Set.of(DsnNotify.DELAY, DsnNotify.FAILURE))).isEqualTo("failure,delay");
        assertThat(StandardMacros.notify(Set.of())).isEmpty();
    }
}
