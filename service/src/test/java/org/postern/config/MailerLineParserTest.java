package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerProtocol;
import org.postern.mailer.MailerType;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;

/**
 * The M-line parser on real lines from sendmail.cf files that m4 built from Debian's sendmail-cf
 * (test resources {@code sendmail/default.cf} and {@code sendmail/tuned.cf}, see their .mc files),
 * and on the syntax sendmail's makemailer allows.
 */
class MailerLineParserTest {

    private static final Map<String, String> DEFAULT_CF = SendmailCf.mailerLinesOf("sendmail/default.cf");
    private static final Map<String, String> TUNED_CF = SendmailCf.mailerLinesOf("sendmail/tuned.cf");

    @Test
    void theGeneratedCfHasTheStandardMailers() {
        assertThat(DEFAULT_CF).containsOnlyKeys("local", "prog", "smtp", "esmtp", "smtp8", "dsmtp", "relay");
        assertThat(DEFAULT_CF.get("esmtp")).isEqualTo("Mesmtp,\t\tP=[IPC], F=mDFMuXa, S=EnvFromSMTP/HdrFromSMTP,"
                + " R=EnvToSMTP, E=\\r\\n, L=990,\n\t\tT=DNS/RFC822/SMTP,\n\t\tA=TCP $h");
    }

    @Test
    void builtInMailersAreExactlySmtpM4s() {
        Map<String, MailerDefinition> builtIn = Mailers.builtIn();
        assertThat(builtIn).containsOnlyKeys("smtp", "esmtp", "smtp8", "dsmtp", "relay");
        for (String name : builtIn.keySet()) {
            assertThat(MailerLineParser.parse(DEFAULT_CF.get(name))).as(name).isEqualTo(builtIn.get(name));
        }
    }

    @Test
    void everyFieldOfTheDefaultEsmtpLine() {
        MailerDefinition esmtp = MailerLineParser.parse(DEFAULT_CF.get("esmtp"));
        assertThat(esmtp.name()).isEqualTo("esmtp");
        assertThat(esmtp.protocol()).isEqualTo(MailerProtocol.SMTP);
        assertThat(esmtp.flags()).isEqualTo("mDFMuXa");
        assertThat(esmtp.senderRewriting()).isEqualTo(new RewritingRef("EnvFromSMTP", "HdrFromSMTP"));
        assertThat(esmtp.recipientRewriting()).isEqualTo(new RewritingRef("EnvToSMTP", "EnvToSMTP"));
        assertThat(esmtp.eol()).isEqualTo("\r\n");
        assertThat(esmtp.lineLimit()).isEqualTo(990);
        assertThat(esmtp.type()).isEqualTo(new MailerType("dns", "rfc822", "smtp"));
        assertThat(esmtp.port()).isEqualTo(25);
        assertThat(esmtp.maxSize()).isZero();
        assertThat(esmtp.maxMessages()).isZero();
        assertThat(esmtp.recipients()).isEqualTo(100);
        assertThat(esmtp.waitTime()).isNull();
        assertThat(esmtp.charset()).isNull();
        MailerDefinition relay = MailerLineParser.parse(DEFAULT_CF.get("relay"));
        assertThat(relay.lineLimit()).isEqualTo(2040);
        assertThat(relay.recipientRewriting()).isEqualTo(new RewritingRef("MasqSMTP", "MasqSMTP"));
        assertThat(relay.flags()).isEqualTo("mDFMuXa8");
        assertThat(MailerLineParser.parse(DEFAULT_CF.get("dsmtp")).hasFlag('%')).isTrue();
    }

    @Test
    void tunedLinesCarrySizeMessagesRecipientsCharsetAndPort() {
        MailerDefinition esmtp = MailerLineParser.parse(TUNED_CF.get("esmtp"));
        assertThat(esmtp.maxSize()).isEqualTo(2_000_000);
        assertThat(esmtp.maxMessages()).isEqualTo(10);
        assertThat(esmtp.recipients()).isEqualTo(50);
        assertThat(esmtp.charset()).isEqualTo("iso-8859-1");
        assertThat(esmtp.lineLimit()).isEqualTo(998);
        assertThat(esmtp.port()).isEqualTo(2525);
        assertThat(esmtp.flags()).isEqualTo("mDFMuXae");
        MailerDefinition relay = MailerLineParser.parse(TUNED_CF.get("relay"));
        assertThat(relay.port()).isEqualTo(587);
        assertThat(relay.flags()).isEqualTo("mDFMuXa80");
        assertThat(relay.recipients()).isEqualTo(50);
        assertThat(relay.maxSize()).isZero();
    }

    @Test
    void queueGroupOfARealLineIsRejectedWithTheReason() {
        assertThatThrownBy(() -> MailerLineParser.parse(TUNED_CF.get("smtp8")))
                .hasMessageContaining("mailer smtp8").hasMessageContaining("Queuegroup (Q=)")
                .hasMessageContaining("no queue groups");
    }

    @Test
    void localAndProgMailersOfARealCfAreRejectedWithTheReason() {
        assertThatThrownBy(() -> MailerLineParser.parse(DEFAULT_CF.get("local")))
                .hasMessageContaining("mailer local").hasMessageContaining("P=/usr/bin/procmail is a program");
        assertThatThrownBy(() -> MailerLineParser.parse(DEFAULT_CF.get("prog")))
                .hasMessageContaining("mailer prog").hasMessageContaining("P=/bin/sh is a program");
    }

    @Test
    void fieldNamesMayBeSpelledOutOnlyTheFirstCharacterCounts() {
        MailerDefinition d = MailerLineParser.parse("Mlmtp, Path=[LMTP], Flags=m, Sender=EnvFrom/HdrFrom,"
                + " Recipient=EnvTo, Argv=TCP $h 24, Eol=\\r\\n, Maxsize=5000, maxmessages=3, recipients=7,"
                + " Linelimit=100, Type=X-A/X-B/X-C, Wait=1h30m, Charset=utf-8");
        assertThat(d).isEqualTo(MailerDefinition.builder("lmtp").protocol(MailerProtocol.LMTP).flags("m")
                .senderRewriting(new RewritingRef("EnvFrom", "HdrFrom")).recipientRewriting(RewritingRef.parse("EnvTo"))
                .port(24).maxSize(5000).maxMessages(3).recipients(7).lineLimit(100)
                .type(new MailerType("x-a", "x-b", "x-c")).waitTime(Duration.ofMinutes(90)).charset("utf-8").build());
    }

    @Test
    void fieldCodesAreCaseSensitive() {
        MailerDefinition d = MailerLineParser.parse("Mx, P=[IPC], M=100, m=2, A=TCP $h");
        assertThat(d.maxSize()).isEqualTo(100);
        assertThat(d.maxMessages()).isEqualTo(2);
    }

    @Test
    void valuesMayBeQuotedAndEscapedAsMunchstringDoes() {
        MailerDefinition d = MailerLineParser.parse("Mx, P=\"[IPC]\", F=\"m a\", E=\"\\r\\n\", A=\"TCP  $h  26\"");
        assertThat(d.flags()).isEqualTo("ma");
        assertThat(d.eol()).isEqualTo("\r\n");
        assertThat(d.port()).isEqualTo(26);
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], T=\"dns/rfc822/smtp, A=TCP $h"))
                .hasMessageContaining("unbalanced quote");
    }

    @Test
    void flagZOrPathLmtpMeansLmtp() {
        assertThat(MailerLineParser.parse("Mx, P=[IPC], F=mz, A=TCP $h 24").protocol()).isEqualTo(MailerProtocol.LMTP);
        assertThat(MailerLineParser.parse("Mx, P=[LMTP], F=m, A=TCP $h 24").protocol())
                .isEqualTo(MailerProtocol.LMTP);
        assertThat(MailerLineParser.parse("Mx, P=[IPC], F=m, A=TCP $h lmtp").port()).isEqualTo(24);
    }

    @Test
    void zeroOrOneRuleSetNameDisablesOrSharesRewriting() {
        MailerDefinition d = MailerLineParser.parse("Mx, P=[IPC], S=0, R=11/31, A=TCP $h");
        assertThat(d.senderRewriting().isNone()).isTrue();
        assertThat(d.recipientRewriting()).isEqualTo(new RewritingRef("11", "31"));
        assertThat(MailerLineParser.parse("Mx, P=[IPC], R=EnvTo/0, A=TCP $h").recipientRewriting())
                .isEqualTo(new RewritingRef("EnvTo", null));
    }

    @Test
    void sendmailTimeUnits() {
        assertThat(MailerLineParser.duration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(MailerLineParser.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(MailerLineParser.duration("1d2h")).isEqualTo(Duration.ofHours(26));
        assertThat(MailerLineParser.duration("1w")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> MailerLineParser.duration("5y")).hasMessageContaining("unknown time unit 'y'");
    }

    @Test
    void malformedLinesFailWithTheReason() {
        assertThatThrownBy(() -> MailerLineParser.parse("Hx: y")).hasMessageContaining("starts with 'M'");
        assertThatThrownBy(() -> MailerLineParser.parse("M, P=[IPC], A=TCP $h"))
                .hasMessageContaining("name required");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], Flags, A=TCP $h"))
                .hasMessageContaining("'=' expected after 'Flags'");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], X=1, A=TCP $h"))
                .hasMessageContaining("unknown mailer field X=");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, F=m, A=TCP $h")).hasMessageContaining("P= argument required");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], F=m")).hasMessageContaining("A= argument required");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], F=m, F=a, A=TCP $h"))
                .hasMessageContaining("F= given twice");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], M=big, A=TCP $h"))
                .hasMessageContaining("'big' is not a number");
    }

    @Test
    void pathAndArgvOtherThanTcpAreRejectedWithTheReason() {
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[TCP], A=TCP $h")).hasMessageContaining("[IPC]");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[FILE], A=FILE $u"))
                .hasMessageContaining("local delivery");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], A=FILE /var/run/lmtp"))
                .hasMessageContaining("Unix-domain socket");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], A=TCP mailhub"))
                .hasMessageContaining("must name the host as $h");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], A=TCP $h 25 x"))
                .hasMessageContaining("too many parameters");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], A=TCP $h 70000"))
                .hasMessageContaining("port 70000");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], A=TCP $h gopher"))
                .hasMessageContaining("'gopher' in A= is not a port number");
    }

    @Test
    void programFieldsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], U=mail:mail, A=TCP $h"))
                .hasMessageContaining("Userid (U=)").hasMessageContaining("runs no programs");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], N=10, A=TCP $h"))
                .hasMessageContaining("Nice (N=)");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], /=/var/chroot, A=TCP $h"))
                .hasMessageContaining("chroot");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], D=$z:/, A=TCP $h"))
                .hasMessageContaining("Directory (D=)");
    }

    @Test
    void valuesThatBreakSmtpAreRejected() {
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], E=\\n, A=TCP $h"))
                .hasMessageContaining("E= must be \\r\\n");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], M=-1, A=TCP $h"))
                .hasMessageContaining("maxsize (M=) must not be negative");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], F=my, A=TCP $h"))
                .hasMessageContaining("unknown mailer flag 'y'");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], F=ml, A=TCP $h"))
                .hasMessageContaining("mailer flag 'l' is not supported: local delivery");
        assertThatThrownBy(() -> MailerLineParser.parse("Mx, P=[IPC], T=dns/rfc 822/smtp, A=TCP $h"))
                .hasMessageContaining("address type 'rfc 822'");
    }

    @Test
    void aDefinitionWritesItselfBackAsAnEquivalentLine() {
        for (MailerDefinition d : Mailers.builtIn().values()) {
            assertThat(MailerLineParser.parse(d.toLine())).isEqualTo(d);
        }
        MailerDefinition tuned = MailerLineParser.parse(TUNED_CF.get("esmtp")).toBuilder()
                .waitTime(Duration.ofSeconds(90)).build();
        assertThat(MailerLineParser.parse(tuned.toLine())).isEqualTo(tuned);
    }
}
