package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar postern.jar import-sendmail ...} as an operator runs it: the packaged jar as a
 * process, its exit status, standard output (only YAML) and standard error. Run by failsafe after
 * the package phase; loopback only (no network at all).
 */
class ImportSendmailIT {

    private static final Path JAR = Path.of(System.getProperty("postern.jar", "target/postern.jar"));

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run importSendmail(String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "import-sendmail"));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("import-sendmail did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, SendmailImporterTest.resource(name), StandardCharsets.ISO_8859_1);
        return file;
    }

    @Test
    void theJarImportsACfToStandardOutputWithNothingButYamlThere() throws Exception {
        Run run = importSendmail(resource("relay.cf").toString(), "--mailertable", resource("mailertable").toString(),
                "--genericstable", resource("genericstable").toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("# Postern configuration imported from ");
        assertThat(run.out().lines().filter(l -> !l.startsWith("#") && !l.startsWith(" ") && !l.isEmpty()))
                .containsExactly("postern:");
        // The report names what it did not map, among them the local mailers, with the reason.
        assertThat(run.out()).containsPattern("# unmapped: line \\d+: Mlocal,.*Postern is a relay")
                .containsPattern("# unmapped: line \\d+: O HoldExpensive=False — ")
                .contains("connection-rate-throttle: 15");
        ImportValidator.validate(run.out());
    }

    @Test
    void dashOWritesTheFile() throws Exception {
        Path output = dir.resolve("postern-imported.yml");
        Run run = importSendmail(resource("relay.cf").toString(), "-o", output.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("wrote " + output);
        assertThat(Files.readString(output)).containsPattern("\npostern:\n  # line \\d+: Djmail.example.com\n"
                + "  hostname: mail.example.com\n");
    }

    @Test
    void anMcFileIsCompiledWithM4WhenItIsInstalled() throws Exception {
        assumeTrue(new McCompiler().available(), "m4 and sendmail-cf are not installed");
        Run run = importSendmail(resource("relay.mc").toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("(compiled with m4 and sendmail-cf)", "smart-host: \"relay:[smtp.provider.example]\"");
    }

    @Test
    void aBadFileExitsWithOneAndTheReason() throws Exception {
        Path bad = dir.resolve("broken.cf");
        Files.writeString(bad, "O DaemonPortOptions=Name=MTA, Port=mail-in\n");
        Path output = dir.resolve("never.yml");
        Run run = importSendmail(bad.toString(), "-o", output.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("import-sendmail: line 1: Port=mail-in is neither a port number nor a service");
        assertThat(run.out()).isEmpty();
        assertThat(output).doesNotExist();
    }

    @Test
    void noArgumentsIsAUsageError() throws Exception {
        Run run = importSendmail();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("usage: java -jar postern.jar import-sendmail");
    }
}
