package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CfParserTest {

    private static final String CF = """
            # a comment
            #####  $Id: masquerade_envelope.m4,v 8.10 2013-11-22 20:51:11 ca Exp $  #####
            V10/Berkeley
            Djmail.example.com
            D{Site}eu-west-1
            Cwlocalhost
            C{E}root postmaster
            Fw/etc/mail/local-host-names
            Kmailertable hash /etc/mail/mailertable
            O DaemonPortOptions=Name=MTA, Port=25
            O DaemonPortOptions=Name=MSA, Port=587, M=E
            O SevenBitInput
            OA/etc/aliases
            HReceived: $?sfrom $s $.
            \tby $j
            Mesmtp,\t\tP=[IPC], F=mDFMuXa,
            \t\tA=TCP $h

            SCheckSubject
            R$* viagra $*\t\t$#error $: 553 Spam
            Scanonify=3
            R$@\t\t$@ <@>
            Pjunk=-100
            """;

    @Test
    void everyCommandIsSplitIntoItsPartsWithItsLineNumber() {
        CfFile cf = CfParser.parse(CF);
        assertThat(cf.m4Sources()).extracting(CfFile.M4Source::name).containsExactly("masquerade_envelope");
        assertThat(cf.builtWith("masquerade_envelope")).isTrue();
        assertThat(cf.macro("j")).get().satisfies(m -> {
            assertThat(m.value()).isEqualTo("mail.example.com");
            assertThat(m.line().number()).isEqualTo(4);
        });
        assertThat(cf.macro("Site")).get().extracting(CfFile.Macro::value).isEqualTo("eu-west-1");
        assertThat(cf.classWords("E")).containsExactly("root", "postmaster");
        assertThat(cf.classDefs("w")).hasSize(2).last().extracting(CfFile.ClassDef::file)
                .isEqualTo("/etc/mail/local-host-names");
        assertThat(cf.map("mailertable")).get().satisfies(k -> {
            assertThat(k.type()).isEqualTo("hash");
            assertThat(k.args()).isEqualTo("/etc/mail/mailertable");
        });
        assertThat(cf.optionLines("DaemonPortOptions")).extracting(CfFile.Option::value)
                .containsExactly("Name=MTA, Port=25", "Name=MSA, Port=587, M=E");
        assertThat(cf.option("SevenBitInput")).get().extracting(CfFile.Option::value).isEqualTo("");
        assertThat(cf.option("A")).get().extracting(CfFile.Option::value).isEqualTo("/etc/aliases");
        assertThat(cf.others()).extracting(CfLine::text).containsExactly("V10/Berkeley", "Pjunk=-100");
    }

    @Test
    void continuationLinesJoinTheLineBeforeWithTheirBreaksKept() {
        CfFile cf = CfParser.parse(CF);
        assertThat(cf.headers()).singleElement().satisfies(h -> {
            assertThat(h.text()).isEqualTo("HReceived: $?sfrom $s $.\n\tby $j");
            assertThat(h.number()).isEqualTo(14);
            assertThat(h.oneLine()).isEqualTo("HReceived: $?sfrom $s $. by $j");
        });
        assertThat(cf.mailers()).singleElement().satisfies(m -> {
            assertThat(m.number()).isEqualTo(16);
            assertThat(m.oneLine()).isEqualTo("Mesmtp,\t\tP=[IPC], F=mDFMuXa, A=TCP $h");
        });
    }

    @Test
    void rulesBelongToTheRuleSetAboveThemAndNumberedNamesLoseTheirNumber() {
        CfFile cf = CfParser.parse(CF);
        assertThat(cf.rulesets()).containsOnlyKeys("CheckSubject", "canonify");
        CfRuleset check = cf.rulesets().get("CheckSubject");
        assertThat(check.rules()).extracting(CfLine::number).containsExactly(20);
        assertThat(check.lineRange()).isEqualTo("19-20");
        assertThat(cf.rulesets().get("canonify").rules()).hasSize(1);
    }

    @Test
    void aFileWithoutConfigurationLinesIsNotACf() {
        assertThatThrownBy(() -> CfParser.parse("# only a comment\n\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sendmail.cf lines");
    }
}
