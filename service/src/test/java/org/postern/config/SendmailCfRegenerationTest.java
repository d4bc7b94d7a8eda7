package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sendmail.cf test resources are what m4 makes of their .mc files with the installed
 * sendmail-cf: regenerated and compared mailer by mailer (the M lines; the header names the
 * build host and date). Skipped where m4 or sendmail-cf is not installed ({@code .ci/run} installs both).
 */
class SendmailCfRegenerationTest {

    private static final Path M4 = Path.of("/usr/bin/m4");
    private static final Path CF_M4 = Path.of("/usr/share/sendmail/cf/m4/cf.m4");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"default", "tuned"})
    void committedCfMatchesM4Output(String name) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(M4) && Files.isRegularFile(CF_M4), "m4 and sendmail-cf are not installed");
        Path mc = dir.resolve(name + ".mc");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("sendmail/" + name + ".mc")) {
            Files.write(mc, in.readAllBytes());
        }
        Path cf = dir.resolve(name + ".cf");
        Process m4 = new ProcessBuilder(M4.toString(), CF_M4.toString(), mc.toString()).directory(dir.toFile())
                .redirectOutput(cf.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(m4.waitFor(60, TimeUnit.SECONDS)).as("m4 finished").isTrue();
        assertThat(m4.exitValue()).as("m4 exit status").isZero();
        assertThat(SendmailCf.mailerLines(Files.readString(cf, StandardCharsets.US_ASCII)))
                .isNotEmpty()
                .isEqualTo(SendmailCf.mailerLinesOf("sendmail/" + name + ".cf"));
    }
}
