package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link McInterpreter} on small {@code .mc} texts: the cf lines each macro gives (the expected
 * lines are those m4 writes with Debian's sendmail-cf 8.17), the notes for what is not interpreted,
 * and m4's reading rules (quotes, nested parentheses, multi-line calls, {@code dnl}).
 */
class McInterpreterTest {

    /** Three lines every test file starts with; the test's own lines start at line 4. */
    private static final String HEAD = "divert(-1)\ndivert(0)dnl\nOSTYPE(`linux')dnl\n";

    @TempDir
    Path dir;

    private static McTranslation mc(String... lines) {
        return McInterpreter.interpret(HEAD + String.join("\n", lines) + "\n");
    }

    private static CfLines cf(McTranslation translation) {
        return CfLines.parse(translation.cfText());
    }

    private static List<String> lines(McTranslation translation) {
        return CfLines.logicalLines(translation.cfText());
    }

    @Test
    void divertMinusOneDiscardsAndVersionIdIsAComment() {
        McTranslation translation = McInterpreter.interpret("""
                divert(-1)
                This text, and R$* rules here, are discarded.
                divert(0)dnl
                VERSIONID(`$Id: site.mc,v 1.2 $')
                OSTYPE(`linux')dnl
                """);

        assertThat(translation.cfText()).startsWith("#####  $Id: site.mc,v 1.2 $  #####\n")
                .doesNotContain("discarded");
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void theDefaultsOfCfheadAreWrittenAsM4WritesThem() {
        CfLines cf = cf(mc());

        assertThat(cf.options().get("Timeout.queuereturn")).containsExactly("O Timeout.queuereturn=5d");
        assertThat(cf.options().get("Timeout.queuewarn")).containsExactly("O Timeout.queuewarn=4h");
        assertThat(cf.options().get("PrivacyOptions")).containsExactly("O PrivacyOptions=authwarnings");
        assertThat(cf.options().get("SmtpGreetingMessage")).containsExactly("O SmtpGreetingMessage=$j Sendmail $v/$Z; $b");
        assertThat(cf.options().get("DaemonPortOptions"))
                .containsExactly("O DaemonPortOptions=Name=MTA", "O DaemonPortOptions=Port=587, Name=MSA, M=E");
        assertThat(cf.options()).doesNotContainKeys("MaxMessageSize", "ClientPortOptions", "TimeZoneSpec");
        assertThat(cf.macros()).containsEntry("S", "DS").containsEntry("n", "DnMAILER-DAEMON")
                .doesNotContainKeys("M", "j");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            confMAX_MESSAGE_SIZE         | 10485760                         | O MaxMessageSize=10485760
            confMAX_RCPTS_PER_MESSAGE    | 100                              | O MaxRecipientsPerMessage=100
            confMAX_DAEMON_CHILDREN      | 40                               | O MaxDaemonChildren=40
            confCONNECTION_RATE_THROTTLE | 15                               | O ConnectionRateThrottle=15
            confMIN_QUEUE_AGE            | 10m                              | O MinQueueAge=10m
            confTO_QUEUERETURN           | 3d                               | O Timeout.queuereturn=3d
            confTO_QUEUEWARN             | 2h                               | O Timeout.queuewarn=2h
            confTO_CONNECT               | 1m                               | O Timeout.connect=1m
            confTO_DATAFINAL             | 30m                              | O Timeout.datafinal=30m
            confSMTP_LOGIN_MSG           | $j ESMTP relay; $b               | O SmtpGreetingMessage=$j ESMTP relay; $b
            confPRIVACY_FLAGS            | authwarnings,goaway,noetrn       | O PrivacyOptions=authwarnings,goaway,noetrn
            confHELO_NAME                | out.example.org                  | O HeloName=out.example.org
            confDEF_CHAR_SET             | iso-8859-1                       | O DefaultCharSet=iso-8859-1
            confDONT_BLAME_SENDMAIL      | GroupReadableKeyFile             | O DontBlameSendmail=GroupReadableKeyFile
            """)
    void confDefinesBecomeTheirOptions(String variable, String value, String line) {
        McTranslation translation = mc("define(`" + variable + "', `" + value + "')dnl");

        String option = line.substring(2, line.indexOf('='));
        assertThat(cf(translation).options().get(option)).containsExactly(line);
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void anOptionDefinedEmptyHasNoValueAndAnUndefinedOneIsNotWritten() {
        CfLines cf = cf(mc("define(`confUSE_MSP')dnl", "undefine(`ALIAS_FILE')dnl", "undefine(`confPRIVACY_FLAGS')dnl"));

        assertThat(cf.options().get("UseMSP")).containsExactly("O UseMSP");
        assertThat(cf.options()).doesNotContainKeys("AliasFile", "PrivacyOptions");
    }

    @Test
    void messageTimeoutSetsQueueReturnAndQueueWarn() {
        CfLines cf = cf(mc("define(`confMESSAGE_TIMEOUT', `3d/6h')dnl"));

        assertThat(cf.options().get("Timeout.queuereturn")).containsExactly("O Timeout.queuereturn=3d");
        assertThat(cf.options().get("Timeout.queuewarn")).containsExactly("O Timeout.queuewarn=6h");
    }

    @Test
    void timeZoneIsWrittenUnlessItIsTheSystemDefault() {
        assertThat(cf(mc("define(`confTIME_ZONE', `USE_TZ')dnl")).options().get("TimeZoneSpec"))
                .containsExactly("O TimeZoneSpec=");
        assertThat(cf(mc("define(`confTIME_ZONE', `Europe/Paris')dnl")).options().get("TimeZoneSpec"))
                .containsExactly("O TimeZoneSpec=Europe/Paris");
    }

    @Test
    void daemonOptionsReplaceTheDefaultMtaAndKeepTheMsaUnlessNoDefaultMsa() {
        CfLines cf = cf(mc("DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA, M=Eu')dnl",
                "DAEMON_OPTIONS(`Port=465, Addr=::1, Family=inet6, Name=SMTPS, M=s')dnl"));

        assertThat(cf.options().get("DaemonPortOptions")).containsExactly(
                "O DaemonPortOptions=Port=smtp, Addr=127.0.0.1, Name=MTA, M=Eu",
                "O DaemonPortOptions=Port=465, Addr=::1, Family=inet6, Name=SMTPS, M=s",
                "O DaemonPortOptions=Port=587, Name=MSA, M=E");

        assertThat(cf(mc("FEATURE(`no_default_msa')dnl", "DAEMON_OPTIONS(`Name=MTA, M=E')dnl"))
                .options().get("DaemonPortOptions")).containsExactly("O DaemonPortOptions=Name=MTA, M=E");
    }

    @Test
    void unquotedOptionsLoseWhatFollowsTheFirstCommaAsInM4AndSayIt() {
        McTranslation translation = mc("DAEMON_OPTIONS(Port=smtp, Addr=127.0.0.1, Name=MTA)dnl");

        assertThat(cf(translation).options().get("DaemonPortOptions"))
                .startsWith("O DaemonPortOptions=Port=smtp");
        assertThat(translation.notes()).containsExactly("line 4: DAEMON_OPTIONS(Port=smtp, Addr=127.0.0.1, Name=MTA)"
                + " — m4 uses only the first argument (`Port=smtp'): what follows its first unquoted comma is"
                + " dropped, as here; quote the whole value");
    }

    @Test
    void clientOptionsGiveOneLinePerCallInOrder() {
        CfLines cf = cf(mc("CLIENT_OPTIONS(`Family=inet, Addr=127.0.0.5, M=h')dnl",
                "CLIENT_OPTIONS(`Family=inet6, Addr=::1, Port=0, M=AS')dnl"));

        assertThat(cf.options().get("ClientPortOptions")).containsExactly(
                "O ClientPortOptions=Family=inet, Addr=127.0.0.5, M=h",
                "O ClientPortOptions=Family=inet6, Addr=::1, Port=0, M=AS");
    }

    @Test
    void smartHostIsTheDsLine() {
        assertThat(cf(mc("define(`SMART_HOST', `relay:[mail.example.com]')dnl")).macros())
                .containsEntry("S", "DSrelay:[mail.example.com]");
        assertThat(cf(mc("define(`SMART_HOST', `[10.1.2.3]')dnl")).macros()).containsEntry("S", "DS[10.1.2.3]");
    }

    @Test
    void smartHostWrittenAsACallIsNotAMacroAndIsNoted() {
        McTranslation translation = mc("SMART_HOST(`mail.example.com')dnl");

        assertThat(cf(translation).macros()).containsEntry("S", "DS");
        assertThat(translation.notes()).containsExactly("line 4: SMART_HOST(`mail.example.com') — sendmail-cf has no"
                + " SMART_HOST macro: m4 copies this text as it is and SMART_HOST stays unset; write"
                + " define(`SMART_HOST', `...')");
    }

    @Test
    void masqueradingGivesDmTheClassesAndTheRuleSets() {
        McTranslation translation = mc("MASQUERADE_AS(`example.com')dnl", "MASQUERADE_DOMAIN(`lists.example.com')dnl",
                "MASQUERADE_EXCEPTION(`keep.example.com')dnl", "EXPOSED_USER(`postmaster')dnl",
                "GENERICS_DOMAIN(`example.org')dnl", "LOCAL_DOMAIN(`mail.example.com')dnl",
                "FEATURE(`masquerade_envelope')dnl");
        CfLines cf = cf(translation);

        assertThat(cf.macros()).containsEntry("M", "DMexample.com");
        assertThat(cf.classes()).contains("C{M}lists.example.com", "C{N}keep.example.com", "C{E}postmaster",
                "C{G}example.org", "C{w}mail.example.com");
        assertThat(cf.rulesets().get("MasqEnv")).containsExactly("R$+\t\t\t$@ $>MasqHdr $1");
        assertThat(cf.rulesets().get("MasqHdr")).contains(
                "R$=E < @ *LOCAL* >\t$@ $1 < @ $j . >\t\tleave exposed",
                "R$* < @ $=M . > $*\t$: $1 < @ $2 . @ $M > $3\tconvert masqueraded doms");
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void withoutMasqueradeEnvelopeTheEnvelopeOnlyLosesLocal() {
        CfLines cf = cf(mc("MASQUERADE_AS(`example.com')dnl", "FEATURE(`masquerade_entire_domain')dnl"));

        assertThat(cf.rulesets().get("MasqEnv")).containsExactly("R$* < @ *LOCAL* > $*\t$: $1 < @ $j . > $2");
        assertThat(cf.rulesets().get("MasqHdr"))
                .contains("R$* < @ $* $=M . > $*\t$: $1 < @ $2 $3 . @ $M > $4\tconvert masqueraded doms");
    }

    @Test
    void mailertableAndGenericstableAreKLines() {
        CfLines defaults = cf(mc("FEATURE(`mailertable')dnl", "FEATURE(`genericstable')dnl"));
        assertThat(defaults.maps()).containsEntry("mailertable", "Kmailertable hash /etc/mail/mailertable")
                .containsEntry("generics", "Kgenerics hash /etc/mail/genericstable");
        assertThat(defaults.rulesets().get("MasqHdr")).contains("R$+ < @ $=G . >\t$: < $1@$2 > $1 < @ $2 . > @\tmark");

        CfLines given = cf(mc("FEATURE(`mailertable', `hash -o /etc/mail/routes')dnl",
                "FEATURE(`genericstable', `btree /etc/mail/generics.db')dnl"));
        assertThat(given.maps()).containsEntry("mailertable", "Kmailertable hash -o /etc/mail/routes")
                .containsEntry("generics", "Kgenerics btree /etc/mail/generics.db");

        CfLines ldap = cf(mc("FEATURE(`mailertable', `LDAP')dnl"));
        assertThat(ldap.maps()).containsEntry("mailertable", "Kmailertable ldap -1 -v sendmailMTAMapValue,"
                + "sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k"
                + " (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})"
                + "(sendmailMTAHost=$j))(sendmailMTAMapName=mailer)(sendmailMTAKey=%0))");
    }

    @Test
    void smtpMailerDefinesGiveTheFieldsM4Writes() {
        McTranslation translation = mc("define(`SMTP_MAILER_FLAGS', `e')dnl", "define(`SMTP_MAILER_MAX', `2000000')dnl",
                "define(`SMTP_MAILER_MAXMSGS', `50')dnl", "define(`SMTP_MAILER_MAXRCPTS', `25')dnl",
                "define(`SMTP_MAILER_CHARSET', `iso-8859-1')dnl", "define(`SMTP_MAILER_LL', `2040')dnl",
                "define(`ESMTP_MAILER_ARGS', `TCP $h 587')dnl", "define(`RELAY_MAILER_ARGS', `TCP $h 10025')dnl",
                "MAILER(`smtp')dnl");
        CfLines cf = cf(translation);

        assertThat(cf.mailers().get("esmtp")).isEqualTo("""
                Mesmtp,\t\tP=[IPC], F=mDFMuXae, S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP, E=\\r\\n, L=2040,
                \t\tM=2000000, m=50, r=25, C=iso-8859-1, T=DNS/RFC822/SMTP,
                \t\tA=TCP $h 587""");
        assertThat(cf.mailers().get("relay")).isEqualTo("""
                Mrelay,\t\tP=[IPC], F=mDFMuXa8e, S=EnvFromSMTP/HdrFromSMTP, R=MasqSMTP, E=\\r\\n, L=2040,
                \t\tr=25, T=DNS/RFC822/SMTP,
                \t\tA=TCP $h 10025""");
        assertThat(cf.mailers()).containsOnlyKeys("local", "prog", "smtp", "esmtp", "smtp8", "dsmtp", "relay");
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void modifyMailerFlagsAddsRemovesAndReplaces() {
        CfLines cf = cf(mc("MODIFY_MAILER_FLAGS(`ESMTP', `+bk')dnl", "MODIFY_MAILER_FLAGS(`ESMTP', `-X')dnl",
                "MODIFY_MAILER_FLAGS(`DSMTP', `mDFMuX')dnl", "MODIFY_MAILER_FLAGS(`RELAY', `+a')dnl",
                "FEATURE(`allmasquerade')dnl", "MAILER(`smtp')dnl"));

        assertThat(CfLines.mailerFields(cf.mailers().get("esmtp"))).containsEntry("F", "mDFMuabk")
                .containsEntry("R", "EnvToSMTP/HdrFromSMTP");
        assertThat(CfLines.mailerFields(cf.mailers().get("dsmtp"))).containsEntry("F", "mDFMuX");
        assertThat(CfLines.mailerFields(cf.mailers().get("relay"))).containsEntry("F", "mDFMuXa8")
                .containsEntry("R", "MasqSMTP/MasqRelay");
    }

    @Test
    void aMailerDefineAfterItsMailerHasNoEffectAndIsNoted() {
        McTranslation translation = mc("MAILER(`smtp')dnl", "define(`SMTP_MAILER_FLAGS', `e')dnl",
                "define(`LOCAL_MAILER_MAX', `1000')dnl");

        assertThat(CfLines.mailerFields(cf(translation).mailers().get("smtp"))).containsEntry("F", "mDFMuX");
        // local is written at the end (proto.m4's MAILER(local)), so its define still applies.
        assertThat(CfLines.mailerFields(cf(translation).mailers().get("local"))).containsEntry("M", "1000");
        assertThat(translation.notes()).containsExactly("line 5: define(`SMTP_MAILER_FLAGS', `e') — comes after"
                + " MAILER(`smtp'): m4 has already written that mailer, so this has no effect");
    }

    @Test
    void aMailerDefineWithoutItsMailerIsNoted() {
        McTranslation translation = mc("define(`ESMTP_MAILER_ARGS', `TCP $h 587')dnl");

        assertThat(cf(translation).mailers()).containsOnlyKeys("local", "prog");
        assertThat(translation.notes()).containsExactly("line 4: define(`ESMTP_MAILER_ARGS', `TCP $h 587') — no"
                + " MAILER(`smtp') in the file, so this has no effect");
    }

    @Test
    void localAndProcmailMailers() {
        CfLines cf = cf(mc("define(`LOCAL_MAILER_EOL', `\\n')dnl", "define(`PROCMAIL_MAILER_MAX', `1000000')dnl",
                "MAILER(`local')dnl", "MAILER(`procmail')dnl"));

        assertThat(cf.mailers().get("local")).isEqualTo("""
                Mlocal,\t\tP=/usr/bin/procmail, F=lsDFMAw5:/|@qSPfhn9, S=EnvFromL/HdrFromL, R=EnvToL/HdrToL, E=\\n,\s
                \t\tT=DNS/RFC822/X-Unix,
                \t\tA=procmail -a $h -d $u""");
        assertThat(cf.mailers().get("procmail")).isEqualTo("""
                Mprocmail,\tP=/usr/bin/procmail, F=DFMSPhnu9, S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP/HdrFromSMTP,
                \t\tM=1000000, T=DNS/RFC822/X-Unix,
                \t\tA=procmail -Y -m $h $f $u""");
    }

    @Test
    void theStandardHeadersFollowTheirDefines() {
        CfLines cf = cf(mc("define(`confMESSAGEID_HEADER', `<$t.$i.relay@$j>')dnl"));

        assertThat(cf.headers()).containsOnlyKeys("H?P?Return-Path", "HReceived", "H?D?Resent-Date", "H?D?Date",
                "H?F?Resent-From", "H?F?From", "H?x?Full-Name", "H?M?Resent-Message-Id", "H?M?Message-Id");
        assertThat(cf.headers()).containsEntry("H?M?Message-Id", "H?M?Message-Id: <$t.$i.relay@$j>")
                .containsEntry("H?F?From", "H?F?From: $?x$x <$g>$|$g$.");
        assertThat(cf.headers().get("HReceived")).startsWith("HReceived: $?sfrom $s $.$?_($?s$|from $.$_)\n\t")
                .endsWith("\tfor $u; $|;\n\t$.$b");
    }

    @Test
    void localConfigAndLocalRulesetsPassHeadersMapsAndRuleSetsThrough() {
        McTranslation translation = mc("MAILER(`smtp')dnl",
                "LOCAL_CONFIG",
                "# a comment line: it stays a comment",
                "D{MyTag}relayed",
                "HX-Relayed-By: $j",
                "H?${MyTag}?X-Tag: ${MyTag}",
                "HSubject: $>CheckSubject",
                "Kspam regex -a@MATCH ^buy",
                "LOCAL_RULESETS",
                "SCheckSubject",
                "R$* spam $*\t\t$#error $: 553 No spam",
                "R$*\t\t\t$@ OK");
        CfLines cf = cf(translation);

        assertThat(cf.headers()).containsEntry("HX-Relayed-By", "HX-Relayed-By: $j")
                .containsEntry("H?${MyTag}?X-Tag", "H?${MyTag}?X-Tag: ${MyTag}")
                .containsEntry("HSubject", "HSubject: $>CheckSubject");
        assertThat(cf.macros()).containsEntry("{MyTag}", "D{MyTag}relayed");
        assertThat(cf.maps()).containsEntry("spam", "Kspam regex -a@MATCH ^buy");
        assertThat(cf.rulesets().get("CheckSubject"))
                .containsExactly("R$* spam $*\t\t$#error $: 553 No spam", "R$*\t\t\t$@ OK");
        assertThat(translation.cfText()).contains("\n# a comment line: it stays a comment\n");
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void localRulesOfRuleSetsZeroOneAndTwoArePassedThroughAndThreeIsNoted() {
        McTranslation translation = mc("LOCAL_RULE_0", "R$* < @ old.example. >\t$#esmtp $@ new.example $: $1",
                "LOCAL_RULE_1", "R$*\t$: $1", "LOCAL_RULE_3", "R$* < @ x >\t$: $1");
        CfLines cf = cf(translation);

        assertThat(cf.rulesets().get("ParseLocal")).containsExactly("R$* < @ old.example. >\t$#esmtp $@ new.example $: $1");
        assertThat(cf.rulesets().get("sender")).containsExactly("R$*\t$: $1");
        assertThat(translation.cfText()).doesNotContain("R$* < @ x >");
        assertThat(translation.notes()).containsExactly("line 8: LOCAL_RULE_3 — the rules that follow go into the"
                + " middle of ruleset 3 (canonify), one of sendmail-cf's standard rule sets, which are not reproduced"
                + " without m4; they are not passed on");
    }

    @Test
    void whatIsNotInterpretedIsNotedWithItsLine() {
        McTranslation translation = mc(
                "FEATURE(`virtusertable')dnl",
                "HACK(`cssubdomain')dnl",
                "ifdef(`confFOO', `define(`confMAX_MESSAGE_SIZE', `1')')dnl",
                "changequote([, ])dnl",
                "include(`/nonexistent/postern/site.m4')dnl",
                "define(`confNOT_AN_OPTION', `x')dnl",
                "define(`SITE_NAME', `x')dnl",
                "MAILER(`uucp')dnl",
                "FEATURE(`nouucp')dnl");

        assertThat(translation.notes()).containsExactly(
                "line 4: FEATURE(`virtusertable') — FEATURE(`virtusertable') is not interpreted without m4: its maps"
                        + " and rules are not in the translation",
                "line 5: HACK(`cssubdomain') — HACK(...) is not interpreted without m4: its site-specific rules are"
                        + " not in the translation",
                "line 6: ifdef(`confFOO', `define(`confMAX_MESSAGE_SIZE', `1')') — m4 construct not evaluated"
                        + " without m4; its result is left out",
                "line 7: changequote([, ]) — changequote is not evaluated: the text is read with the quotes ` and '",
                "line 8: include(`/nonexistent/postern/site.m4') — include of a file not found",
                "line 9: define(`confNOT_AN_OPTION', `x') — not a sendmail-cf option the interpreter knows; no O line"
                        + " is written for it",
                "line 10: define(`SITE_NAME', `x') — not a setting the interpreter knows; kept only as an m4 macro"
                        + " for expansion",
                "line 11: MAILER(`uucp') — MAILER(`uucp') is not interpreted without m4: its mailer lines are not in"
                        + " the translation",
                "line 12: FEATURE(`nouucp') — FEATURE() should be before MAILER() (m4 reports an error): mailers"
                        + " already written do not change",
                "line 12: FEATURE(`nouucp') — missing argument (m4 reports an error): use `reject' or `nospecial'");
        assertThat(cf(translation).options()).doesNotContainKey("MaxMessageSize");
    }

    @Test
    void aFileWithoutOstypeIsNoted() {
        McTranslation translation = McInterpreter.interpret("divert(0)dnl\nMAILER(`smtp')dnl\n");

        assertThat(translation.notes()).containsExactly("line 3: (end of file) — no OSTYPE(...): m4 reports \"No"
                + " system type defined\"; the interpreter goes on with sendmail-cf's defaults");
        assertThat(cf(translation).mailers().get("local")).startsWith("Mlocal,\t\tP=/bin/mail, F=lsDFMAw5:/|@qPrmn9,");
    }

    @Test
    void domainGenericAndFeatureRedirect() {
        McTranslation translation = mc("DOMAIN(`generic')dnl");
        CfLines cf = cf(translation);

        assertThat(cf.classes()).contains("Fw/etc/mail/local-host-names", "C{E}root", "CPREDIRECT");
        assertThat(cf.options().get("MaxHeadersLength")).containsExactly("O MaxHeadersLength=32768");
        assertThat(cf.rulesets().get("ParseLocal")).hasSize(3);
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void quotesAreRemovedOneLevelAtATimeAndProtectCommasAndMacros() {
        CfLines cf = cf(mc("define(`confSMTP_LOGIN_MSG', `$j ready, at your service')dnl",
                "define(`confFROM_LINE', ``From MAILER(x) $d'')dnl",
                "`FEATURE(mailertable)'dnl"));

        assertThat(cf.options().get("SmtpGreetingMessage"))
                .containsExactly("O SmtpGreetingMessage=$j ready, at your service");
        assertThat(cf.options().get("UnixFromLine")).containsExactly("O UnixFromLine=From MAILER(x) $d");
        assertThat(cf.maps()).doesNotContainKey("mailertable");
    }

    @Test
    void aValueIsRescannedWhenWrittenSoOneLevelOfQuotesDoesNotProtectAMacroInIt() {
        McTranslation translation = mc("define(`confFROM_LINE', `From MAILER(x) $d')dnl");

        // As m4: proto.m4 writes "O UnixFromLine=confFROM_LINE" and rescans the value, calling MAILER(x).
        assertThat(cf(translation).options().get("UnixFromLine")).containsExactly("O UnixFromLine=From  $d");
        assertThat(translation.notes()).singleElement().asString().contains("MAILER(`x') is not interpreted");
    }

    @Test
    void unquotedArgumentsKeepNestedParenthesesAndExpandMacros() {
        McTranslation translation = mc("define(`RELAY_TO', `esmtp:[$1]')dnl",
                "define(`SMART_HOST', RELAY_TO(mx.example.com))dnl",
                "define(`confSMTP_LOGIN_MSG', $j (Postern, compatible) ready)dnl");
        CfLines cf = cf(translation);

        assertThat(cf.macros()).containsEntry("S", "DSesmtp:[mx.example.com]");
        assertThat(cf.options().get("SmtpGreetingMessage"))
                .containsExactly("O SmtpGreetingMessage=$j (Postern, compatible) ready");
        assertThat(translation.notes()).containsExactly("line 4: define(`RELAY_TO', `esmtp:[$1]') — not a setting"
                + " the interpreter knows; kept only as an m4 macro for expansion");
    }

    @Test
    void callsMaySpanLinesAndDnlEatsTheRestOfTheLine() {
        McTranslation translation = mc("FEATURE(`mailertable',",
                "        `hash -o /etc/mail/routes')dnl a comment m4 discards",
                "define(`confMAX_MESSAGE_SIZE',",
                "       `1000000')   dnl HACK(`this is discarded too')",
                "EXPOSED_USER(`root') the rest of this line is eaten by the dnl inside EXPOSED_USER",
                "FEATURE(`masquerade_envelope')");
        CfLines cf = cf(translation);

        assertThat(cf.maps()).containsEntry("mailertable", "Kmailertable hash -o /etc/mail/routes");
        assertThat(cf.options().get("MaxMessageSize")).containsExactly("O MaxMessageSize=1000000");
        assertThat(cf.classes()).contains("C{E}root");
        assertThat(translation.cfText()).doesNotContain("eaten").doesNotContain("discards");
        assertThat(translation.notes()).isEmpty();
    }

    @Test
    void aNoteInsideAMultiLineCallNamesTheLineWhereTheCallStarts() {
        McTranslation translation = mc("", "FEATURE(`dnsbl',", "   `bl.example.org')dnl");

        assertThat(translation.notes()).singleElement().asString()
                .startsWith("line 5: FEATURE(`dnsbl', `bl.example.org') — FEATURE(`dnsbl') is not interpreted");
    }

    @Test
    void theCfM4PreludeIsSilentAndAReadableIncludeIsRead() throws IOException {
        Path site = dir.resolve("site.m4");
        Files.writeString(site, "define(`confMAX_MESSAGE_SIZE', `5000')dnl\nHACK(`local')dnl\n");

        McTranslation translation = McInterpreter.interpret("include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                + "OSTYPE(`linux')dnl\ninclude(`" + site + "')dnl\n");

        assertThat(cf(translation).options().get("MaxMessageSize")).containsExactly("O MaxMessageSize=5000");
        assertThat(translation.notes()).containsExactly("line 3: HACK(`local') — HACK(...) is not interpreted without"
                + " m4: its site-specific rules are not in the translation (in " + site + ", line 2)");
    }

    @Test
    void aMacroThatExpandsForeverAndAnUnendedQuoteAreNotedAndEnd() {
        McTranslation endless = mc("define(`LOOP', `LOOP')dnl", "LOOP", "define(`confMAX_MESSAGE_SIZE', `1')dnl");
        assertThat(endless.notes()).containsExactly("line 4: define(`LOOP', `LOOP') — not a setting the interpreter"
                + " knows; kept only as an m4 macro for expansion", "line 5: LOOP — expands without end (more than"
                + " 100000 expansions); the rest of the file is not read");
        assertThat(cf(endless).options()).doesNotContainKey("MaxMessageSize").containsKey("Timeout.queuereturn");

        McTranslation unended = mc("define(`confSMTP_LOGIN_MSG', `$j ready)dnl");
        assertThat(unended.notes()).anySatisfy(note -> assertThat(note).contains("the file ends inside this quoted"));
    }

    @Test
    void crlfLineEndsAreReadAsLf() {
        McTranslation translation = McInterpreter.interpret("divert(0)dnl\r\nOSTYPE(`linux')dnl\r\n"
                + "LOCAL_CONFIG\r\nHX-Relayed-By: $j\r\n");

        assertThat(cf(translation).headers()).containsEntry("HX-Relayed-By", "HX-Relayed-By: $j");
        assertThat(translation.cfText()).doesNotContain("\r");
    }

    @Test
    void ostypeDebianAppliesItsDefinesAndNotesItsAutoconfResults() {
        McTranslation translation = McInterpreter.interpret("OSTYPE(`debian')dnl\nMAILER(`local')dnl\n");
        CfLines cf = cf(translation);

        assertThat(cf.options().get("DeadLetterDrop")).containsExactly("O DeadLetterDrop=/var/lib/sendmail/dead.letter");
        assertThat(cf.options().get("MustQuoteChars")).containsExactly("O MustQuoteChars=.'");
        assertThat(cf.mailers().get("local")).startsWith(
                "Mlocal,\t\tP=/usr/sbin/sensible-mda, F=lsDFMAw5:/|@qPn9S, S=EnvFromL/HdrFromL, R=EnvToL/HdrToL,");
        assertThat(translation.notes()).singleElement().asString().startsWith("line 1: OSTYPE(`debian') — Debian's"
                + " autoconf results");
    }
}
