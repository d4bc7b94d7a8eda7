package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link McInterpreter} against real m4: each {@code .mc} file is built into a sendmail.cf by m4
 * with Debian's sendmail-cf, and every line the interpreter writes must be in it, identical: each
 * option (by name, in order), macro, header (by name and condition), map and class line, each
 * mailer field by field and as a whole, and the rules of each rule set. Options, mailers and
 * headers must also be all of m4's, so nothing m4 writes for them is missing. Skipped where m4 or
 * sendmail-cf is not installed ({@code .ci/run} installs both).
 *
 * <p>The files: sendmail-cf's own {@code generic-linux.mc} and {@code knecht.mc}, and those under
 * {@code sendmail-mc/} in the test resources.
 */
class McInterpreterAgainstM4Test {

    @TempDir
    Path dir;

    /**
     * Each file, with the beginning of each note expected (in order) and what m4 writes that comes
     * only from noted macros: the mail filters' options and the cyrus mailers of knecht.mc, the
     * options Debian's autoconf results give.
     */
    static Stream<Arguments> mcFiles() {
        return Stream.of(
                Arguments.of("generic-linux.mc", List.of(), Set.of()),
                Arguments.of("knecht.mc", List.of(
                        "line 34: define(`confTRUSTED_USERS', ``www listmgr'') — not a sendmail-cf option",
                        "line 37: define(`CERT_DIR', `MAIL_SETTINGS_DIR`'certs') — not a setting the interpreter",
                        "line 45: define(`CYRUS_MAILER_PATH'",
                        "line 46: define(`CYRUS_MAILER_FLAGS'",
                        "line 48: FEATURE(`access_db') — FEATURE(`access_db') is not interpreted",
                        "line 49: FEATURE(`blocklist_recipients')",
                        "line 51: FEATURE(`virtusertable')",
                        "line 54: FEATURE(`nocanonify', `canonify_hosts')",
                        "line 67: QUEUE_GROUP(",
                        "line 70: INPUT_MAIL_FILTER(`spamassassin'",
                        "line 73: INPUT_MAIL_FILTER(`dkim-filter'",
                        "line 76: define(`confMILTER_MACROS_CONNECT'",
                        "line 77: define(`confMILTER_MACROS_ENVFROM'",
                        "line 81: FEATURE(`dnsbl', `sbl-xbl.spamhaus.org'",
                        "line 82: FEATURE(`dnsbl', `list.dsbl.org'",
                        "line 83: FEATURE(`dnsbl', `bl.spamcop.net'",
                        "line 88: MAILER(`cyrus') — MAILER(`cyrus') is not interpreted"),
                        Set.of("InputMailFilters", "Milter.macros.connect", "Milter.macros.helo",
                                "Milter.macros.envfrom", "Milter.macros.envrcpt", "Milter.macros.eom", "cyrus",
                                "cyrusbb")),
                Arguments.of("client-options.mc", List.of(), Set.of()),
                Arguments.of("daemon-options.mc", List.of(), Set.of()),
                Arguments.of("smart-host.mc", List.of(), Set.of()),
                Arguments.of("masquerade.mc", List.of(), Set.of()),
                Arguments.of("mailertable.mc", List.of(), Set.of()),
                Arguments.of("genericstable.mc", List.of(), Set.of()),
                Arguments.of("headers.mc", List.of(), Set.of()),
                Arguments.of("options.mc", List.of(), Set.of()),
                Arguments.of("mailers.mc", List.of(), Set.of()),
                Arguments.of("classes-and-relays.mc", List.of(), Set.of()),
                Arguments.of("debian.mc", List.of("line 5: OSTYPE(`debian') — Debian's autoconf results"),
                        Set.of("ResolverOptions", "RejectNUL")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mcFiles")
    void everyLineTheInterpreterWritesIsM4s(String name, List<String> expectedNotes, Set<String> fromNotedMacros)
            throws IOException, InterruptedException {
        assumeTrue(CfLines.m4Installed(), "m4 and sendmail-cf are not installed");
        Path mc = mcFile(name);
        McTranslation translation = McInterpreter.interpret(Files.readString(mc, StandardCharsets.ISO_8859_1));
        CfLines m4 = CfLines.parse(CfLines.m4(mc, dir));
        CfLines ours = CfLines.parse(translation.cfText());

        assertThat(ours.options().keySet()).as("the options written")
                .isEqualTo(without(m4.options().keySet(), fromNotedMacros));
        ours.options().forEach((option, lines) ->
                assertThat(lines).as("O %s", option).isEqualTo(m4.options().get(option)));

        assertThat(ours.mailers().keySet()).as("the mailers written")
                .isEqualTo(without(m4.mailers().keySet(), fromNotedMacros));
        ours.mailers().forEach((mailer, line) -> {
            Map<String, String> fields = CfLines.mailerFields(line);
            assertThat(fields).as("fields of mailer %s", mailer)
                    .isEqualTo(CfLines.mailerFields(m4.mailers().get(mailer)));
            assertThat(line).as("M line of %s", mailer).isEqualTo(m4.mailers().get(mailer));
        });

        assertThat(ours.headers().keySet()).as("the headers written").isEqualTo(m4.headers().keySet());
        ours.headers().forEach((header, line) ->
                assertThat(line).as("header %s", header).isEqualTo(m4.headers().get(header)));

        ours.macros().forEach((macro, line) ->
                assertThat(m4.macros().get(macro)).as("macro %s", macro).isEqualTo(line));
        ours.maps().forEach((map, line) -> assertThat(m4.maps().get(map)).as("map %s", map).isEqualTo(line));
        assertThat(m4.classes()).as("class lines").containsAll(ours.classes());
        ours.rulesets().forEach((ruleset, rules) ->
                assertThat(rules).as("rules of %s", ruleset).isEqualTo(m4.rulesets().get(ruleset)));

        assertThat(translation.notes()).as("notes").hasSameSizeAs(expectedNotes);
        for (int i = 0; i < expectedNotes.size(); i++) {
            assertThat(translation.notes().get(i)).startsWith(expectedNotes.get(i));
        }
    }

    private static Set<String> without(Set<String> names, Set<String> left) {
        Set<String> result = new LinkedHashSet<>(names);
        result.removeAll(left);
        return result;
    }

    private Path mcFile(String name) throws IOException {
        Path stock = CfLines.CF_DIR.resolve(name);
        if (Files.isRegularFile(stock)) {
            return stock;
        }
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("sendmail-mc/" + name)) {
            assertThat(in).as("test resource sendmail-mc/%s", name).isNotNull();
            Path copy = dir.resolve(name);
            Files.write(copy, in.readAllBytes());
            return copy;
        }
    }
}
