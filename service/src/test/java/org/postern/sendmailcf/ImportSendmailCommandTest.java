package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command in process: arguments, exit status, where the YAML and the errors go. */
class ImportSendmailCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(ImportSendmailCommand command, String... args) {
        return command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return run(new ImportSendmailCommand(), args);
    }

    private Path resource(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, SendmailImporterTest.resource(name), StandardCharsets.ISO_8859_1);
        return file;
    }

    @Test
    void theYamlWithItsReportGoesToStandardOutput() throws Exception {
        int status = run(resource("relay.cf").toString(), "--mailertable", resource("mailertable").toString(),
                "--genericstable", resource("genericstable").toString());
        assertThat(status).as(err.toString()).isZero();
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertThat(yaml).startsWith("# Postern configuration imported from ").contains("\npostern:\n")
                .contains("# unmapped: ").contains("\"[partner.example.net]\": \"esmtp:[mx.partner.example.net]\"");
        assertThat(err.toString()).isEmpty();
        ImportValidator.validate(yaml);
    }

    @Test
    void dashOWritesTheFileAndNothingToStandardOutput() throws Exception {
        Path output = dir.resolve("postern.yml");
        assertThat(run(resource("relay.cf").toString(), "-o", output.toString())).isZero();
        assertThat(out.size()).isZero();
        assertThat(err.toString()).contains("wrote " + output);
        String yaml = Files.readString(output);
        // Without --mailertable the mailertable is reported, not guessed.
        assertThat(yaml).contains("Kmailertable hash /etc/mail/mailertable — the mailertable's source was not given");
        ImportValidator.validate(yaml);
    }

    @Test
    void aFileThatIsNotASendmailConfigurationIsRefusedWithTheReason() throws Exception {
        Path bad = dir.resolve("bad.cf");
        Files.writeString(bad, "# nothing but a comment\n");
        Path output = dir.resolve("out.yml");
        assertThat(run(bad.toString(), "-o", output.toString())).isEqualTo(ImportSendmailCommand.INVALID_INPUT);
        assertThat(err.toString()).contains("import-sendmail: " + bad + ": no sendmail.cf lines");
        assertThat(output).doesNotExist();
    }

    @Test
    void aResultThatWouldNotStartIsNotWritten() throws Exception {
        Path cf = dir.resolve("name.cf");
        Files.writeString(cf, "V10/Berkeley\nO DaemonPortOptions=Name=MTA, Addr=mail.example.com\n");
        Path output = dir.resolve("out.yml");
        assertThat(run(cf.toString(), "-o", output.toString())).isEqualTo(ImportSendmailCommand.INVALID_INPUT);
        assertThat(err.toString()).contains("would not start Postern", "postern.daemon-ports[MTA].addr",
                "'mail.example.com' is not an IP address");
        assertThat(output).doesNotExist();
        assertThat(out.size()).isZero();
    }

    @Test
    void aMissingFileIsInvalidInput() {
        assertThat(run(dir.resolve("absent.cf").toString())).isEqualTo(ImportSendmailCommand.INVALID_INPUT);
        assertThat(err.toString()).contains("cannot read the input");
    }

    @Test
    void usageErrorsPrintTheUsageLine() {
        assertThat(run()).isEqualTo(ImportSendmailCommand.USAGE);
        assertThat(err.toString()).contains("no input file", ImportSendmailCommand.USAGE_LINE);
        err.reset();
        assertThat(run("a.cf", "--bogus")).isEqualTo(ImportSendmailCommand.USAGE);
        assertThat(err.toString()).contains("unknown option --bogus");
        err.reset();
        assertThat(run("a.cf", "-o")).isEqualTo(ImportSendmailCommand.USAGE);
        assertThat(err.toString()).contains("-o needs a file name");
        err.reset();
        assertThat(run("a.cf", "b.cf")).isEqualTo(ImportSendmailCommand.USAGE);
    }

    @Test
    void anMcFileWithoutM4IsInterpretedDirectlyToTheSameConfigurationAsWithM4() throws Exception {
        ImportSendmailCommand noM4 = new ImportSendmailCommand(new McCompiler(dir.resolve("no-m4"), dir));
        assertThat(run(noM4, resource("relay.mc").toString())).as(err.toString()).isZero();
        String interpreted = out.toString(StandardCharsets.UTF_8);
        assertThat(interpreted).contains("(interpreted without m4)")
                .as("what the interpreter cannot read is reported")
                .contains("# unmapped: m4 — line 43: FEATURE(`access_db') — FEATURE(`access_db') is not interpreted");
        ImportValidator.validate(interpreted);

        Assumptions.assumeTrue(new McCompiler().available(), "m4 and sendmail-cf are not installed");
        out.reset();
        assertThat(run(resource("relay.mc").toString())).as(err.toString()).isZero();
        String compiled = out.toString(StandardCharsets.UTF_8);
        assertThat(properties(interpreted)).as("the configuration, comments aside").isEqualTo(properties(compiled));
    }

    /** The YAML without its comment lines: the report and the cf line numbers differ between the two ways. */
    private static List<String> properties(String yaml) {
        return yaml.lines().filter(l -> !l.strip().startsWith("#")).toList();
    }

    @Test
    void mcFilesAreToldFromCfFilesByNameThenByContent() {
        assertThat(ImportSendmailCommand.isMc(Path.of("sendmail.mc"), "")).isTrue();
        assertThat(ImportSendmailCommand.isMc(Path.of("sendmail.cf"), "OSTYPE(`linux')")).isFalse();
        assertThat(ImportSendmailCommand.isMc(Path.of("config"), "divert(-1)\nOSTYPE(`linux')dnl\n")).isTrue();
        assertThat(ImportSendmailCommand.isMc(Path.of("config"), "V10/Berkeley\nO SuperSafe=True\n")).isFalse();
    }
}
