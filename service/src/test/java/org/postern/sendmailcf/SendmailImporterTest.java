package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.config.PosternProperties;
import org.postern.config.refresh.RuntimeConfigurationFactory;

/**
 * The importer on {@code sendmail-import/relay.cf} (built by m4 from {@code relay.mc}, committed so
 * these tests need no m4) and on small hand-written cf files.
 */
class SendmailImporterTest {

    static String resource(String name) {
        try (InputStream in = SendmailImporterTest.class.getClassLoader().getResourceAsStream("sendmail-import/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SendmailImporter.Result relay() throws ImportException {
        return SendmailImporter.importCf(CfParser.parse(resource("relay.cf")), new SendmailImporter.Tables(
                resource("mailertable"), "mailertable", resource("genericstable"), "genericstable"));
    }

    @Test
    void theRelayImportsAndStartsAsPosternChecksItsConfiguration() throws ImportException {
        String yaml = relay().yaml("relay.cf");
        PosternProperties p = ImportValidator.validate(yaml);
        var runtime = RuntimeConfigurationFactory.build(p, 1);

        assertThat(p.hostname()).isEqualTo("mail.example.com");
        assertThat(p.daemonPorts()).extracting(d -> d.name() + " " + d.addr() + " " + d.port() + " " + d.family()
                + " " + d.modifiers() + " " + d.listen() + " " + d.children()).containsExactly(
                        "MTA 0.0.0.0 25 INET Eb 100 200", "MTA-v6 :: 25 INET6 O 128 0", "MSA  587 INET Eaf 128 0");
        assertThat(p.clientPorts()).extracting(c -> c.family() + " " + c.addr() + " " + c.modifiers())
                .containsExactly("INET 127.0.0.1 h", "INET6  S");
        assertThat(p.limits().maxMessageSize().toBytes()).isEqualTo(20_000_000);
        assertThat(p.limits().maxRecipients()).isEqualTo(250);
        assertThat(p.limits().maxSessions()).isEqualTo(40);
        assertThat(p.limits().connectionRateThrottle()).isEqualTo(15);
        assertThat(p.queue().lifetime()).hasDays(3);
        assertThat(p.queue().warnAfter()).hasHours(2);
        assertThat(p.queue().minBackoff()).hasMinutes(10);
        assertThat(p.timeouts().connect()).hasMinutes(1);
        assertThat(p.timeouts().datafinal()).hasMinutes(30);
        assertThat(p.routing().smartHost()).isEqualTo("relay:[smtp.provider.example]");
        assertThat(p.routing().domains()).containsOnlyKeys("partner.example.net", ".corp.example.org",
                "old.example.com", "blackhole.example.com");
        assertThat(runtime.mailers().get("esmtp").port()).isEqualTo(2525);
        assertThat(runtime.mailers().get("relay").flags()).contains("k");
        assertThat(runtime.mailers().get("smtp").maxMessages()).isEqualTo(10);
        assertThat(p.rewriting()).containsOnlyKeys("HdrFromSMTP", "EnvFromSMTP");
        assertThat(p.rewriting().get("HdrFromSMTP").masquerade().as()).isEqualTo("example.com");
        assertThat(p.rewriting().get("HdrFromSMTP").masquerade().exceptions()).containsExactly("secret.hosts.example.com");
        assertThat(p.rewriting().get("EnvFromSMTP").generics().entries()).hasSize(2);
        assertThat(p.macros()).containsEntry("Site", "eu-west-1");
        assertThat(p.headerChecks()).containsOnlyKeys("CheckSubject", "CheckMessageId");
    }

    @Test
    void everyLineOfTheCfIsMappedOrReported() throws ImportException {
        CfFile cf = CfParser.parse(resource("relay.cf"));
        SendmailImporter.Result result = relay();
        ImportReport report = result.report();
        java.util.Set<Integer> reported = new java.util.HashSet<>();
        report.entries().forEach(e -> reported.add(e.line()));
        java.util.Set<Integer> covered = new java.util.HashSet<>(result.mapped());
        covered.addAll(reported);
        for (CfRuleset r : cf.rulesets().values()) {
            if (covered.contains(r.line().number())) {
                r.rules().forEach(rule -> covered.add(rule.number()));
            }
        }
        assertThat(cf.lines()).allSatisfy(l -> assertThat(covered).as("line %d: %s", l.number(), l.oneLine())
                .contains(l.number()));
        assertThat(report.entries()).noneMatch(e -> e.reason().contains("not recognised"));
    }

    @Test
    void theReportListsWhatIsNotMappedWithTheLineAndTheReason() throws ImportException {
        CfFile cf = CfParser.parse(resource("relay.cf"));
        String yaml = relay().yaml("relay.cf");
        List<String> comments = yaml.lines().takeWhile(l -> l.startsWith("#")).toList();
        int hold = cf.option("HoldExpensive").orElseThrow().line().number();
        assertThat(comments).contains("# unmapped: line " + hold + ": O HoldExpensive=False — Postern always holds mail"
                + " for mailers with flag e until the first retry (as HoldExpensive=True)");
        int local = cf.mailers().get(0).number();
        assertThat(comments).anySatisfy(c -> assertThat(c).startsWith("# unmapped: line " + local + ": Mlocal,")
                .contains("Postern is a relay"));
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("unmapped: mailertable line 6:",
                "local:postmaster", "delivers on this host"));
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("unmapped: genericstable line 4: broken"));
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("HX-Mailer: $>+CheckMailer", "cannot be translated"));
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("not carried over: Q=slow"));
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("Kaccess", "access database"));
        assertThat(comments).anySatisfy(c -> assertThat(c).startsWith("# default: ").contains("O SuperSafe=True"));
        assertThat(comments).anySatisfy(c -> assertThat(c).startsWith("# note: ").contains("MinQueueAge",
                "nearest equivalent"));
        // Lines that became properties are named beside them.
        int smartHost = cf.macro("S").orElseThrow().line().number();
        assertThat(yaml).contains("# line " + smartHost + ": DSrelay:[smtp.provider.example]\n"
                + "    smart-host: \"relay:[smtp.provider.example]\"");
    }

    @Test
    void theSameCfAlwaysGivesTheSameYaml() throws ImportException {
        assertThat(relay().yaml("relay.cf")).isEqualTo(relay().yaml("relay.cf"));
    }

    @Test
    void withoutDaemonPortOptionsSendmailsDefaultListenerIsWritten() throws ImportException {
        var result = SendmailImporter.importCf(CfParser.parse("V10/Berkeley\nO SuperSafe=True\n"),
                SendmailImporter.Tables.NONE);
        PosternProperties p = ImportValidator.validate(result.yaml("test"));
        assertThat(p.daemonPorts()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("MTA");
            assertThat(d.port()).isEqualTo(25);
            assertThat(d.addr()).isEmpty();
        });
    }

    @Test
    void aStandardHeaderLineTheCfLacksIsTurnedOff() throws ImportException {
        String cf = "V10/Berkeley\nO DaemonPortOptions=Name=MTA\nH?D?Date: $a\n";
        var result = SendmailImporter.importCf(CfParser.parse(cf), SendmailImporter.Tables.NONE);
        String yaml = result.yaml("test");
        PosternProperties p = ImportValidator.validate(yaml);
        var rules = RuntimeConfigurationFactory.build(p, 1).headerRules();
        assertThat(rules.deliveryRules()).filteredOn(r -> r.is("Date")).singleElement()
                .satisfies(r -> assertThat(r.template().source()).isEqualTo("$a"));
        assertThat(rules.deliveryRules()).filteredOn(r -> r.is("Message-Id"))
                .allSatisfy(r -> assertThat(r.template().source()).isEmpty());
        assertThat(result.report().entries(ImportReport.Kind.NOTE)).anySatisfy(e -> assertThat(e.text())
                .isEqualTo("(no Message-Id line)"));
    }

    @Test
    void mailerFieldsAndFlagsPosternRejectsAreDroppedAndReported() throws ImportException {
        String cf = "V10/Berkeley\nO DaemonPortOptions=Name=MTA\n"
                + "Mpartner, P=[IPC], F=mDFMuXaS, S=EnvFromSMTP/HdrFromSMTP, R=11/31, Q=slow, A=TCP $h 2525\n"
                + "Mcyrus, P=/usr/sbin/deliver, F=lsDFMn, A=deliver $u\n";
        var result = SendmailImporter.importCf(CfParser.parse(cf), SendmailImporter.Tables.NONE);
        var runtime = RuntimeConfigurationFactory.build(ImportValidator.validate(result.yaml("test")), 1);
        assertThat(runtime.mailers().get("partner").flags()).isEqualTo("mDFMuXa");
        assertThat(runtime.mailers().get("partner").port()).isEqualTo(2525);
        assertThat(runtime.mailers().get("partner").recipientRewriting().isNone()).isTrue();
        assertThat(runtime.mailers().find("cyrus")).isEmpty();
        assertThat(result.report().entries()).extracting(ImportReport.Entry::reason).anyMatch(r -> r.contains("flag S"))
                .anyMatch(r -> r.contains("Q=slow")).anyMatch(r -> r.contains("R=11/31"))
                .anyMatch(r -> r.contains("P=/usr/sbin/deliver is a program"));
    }

    @Test
    void maxNoopCommandsBecomesTheJunkCommandLimitWithANoteOnHowItDiffers() throws ImportException {
        var result = SendmailImporter.importCf(CfParser.parse("O DaemonPortOptions=Name=MTA\nO MaxNOOPCommands=25\n"),
                SendmailImporter.Tables.NONE);
        assertThat(ImportValidator.validate(result.yaml("test")).limits().maxJunkCommands()).isEqualTo(25);
        assertThat(result.report().entries(ImportReport.Kind.NOTE)).anySatisfy(e -> assertThat(e.reason())
                .contains("postern.limits.max-errors"));

        var unlimited = SendmailImporter.importCf(CfParser.parse("O DaemonPortOptions=Name=MTA\nO MaxNOOPCommands=0\n"),
                SendmailImporter.Tables.NONE);
        assertThat(ImportValidator.validate(unlimited.yaml("test")).limits().maxJunkCommands()).isEqualTo(100);
        assertThat(unlimited.report().entries(ImportReport.Kind.UNMAPPED)).anySatisfy(e -> assertThat(e.reason())
                .contains("max-junk-commands"));
    }

    @Test
    void aPortThatIsNeitherANumberNorAServiceIsAnError() {
        assertThatThrownBy(() -> SendmailImporter.importCf(CfParser.parse("O DaemonPortOptions=Port=mail-in\n"),
                SendmailImporter.Tables.NONE)).isInstanceOf(ImportException.class)
                .hasMessageContaining("line 1: Port=mail-in is neither a port number nor a service");
    }

    @Test
    void aListenerAddressThatIsANameFailsValidationNamingTheProperty() throws ImportException {
        var result = SendmailImporter.importCf(CfParser.parse("O DaemonPortOptions=Name=MTA, Addr=mail.example.com\n"),
                SendmailImporter.Tables.NONE);
        assertThatThrownBy(() -> ImportValidator.validate(result.yaml("test"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("postern.daemon-ports[MTA].addr");
    }

    @Test
    void theMailertablesDefaultEntryBecomesTheSmartHost() throws ImportException {
        String cf = "O DaemonPortOptions=Name=MTA\nDSrelay:[old.example]\nKmailertable hash /etc/mail/mailertable\n";
        var result = SendmailImporter.importCf(CfParser.parse(cf), new SendmailImporter.Tables(
                ".\tesmtp:[hub.example]\nexample.net\tsmtp:[mx.example.net]\n", "mt", null, null));
        PosternProperties p = ImportValidator.validate(result.yaml("test"));
        assertThat(p.routing().smartHost()).isEqualTo("esmtp:[hub.example]");
        assertThat(p.routing().domains()).isEqualTo(Map.of("example.net", "smtp:[mx.example.net]"));
    }
}
