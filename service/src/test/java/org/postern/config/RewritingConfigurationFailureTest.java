package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.testing.TestStartup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bad {@code postern.rewriting} configuration, and mailers whose S= or R= name a rule set that does
 * not exist, fail startup of the real application naming the property and the reason (as
 * {@link ConfigurationFailureTest} does for the rest of the tree).
 */
@ExtendWith(OutputCaptureExtension.class)
class RewritingConfigurationFailureTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(String... overrides) {
        return TestStartup.start(dir.resolve("spool"), overrides);
    }

    private String startupFailure(CapturedOutput output, String... overrides) {
        return TestStartup.failure(output, dir.resolve("spool"), overrides);
    }

    @Test
    void aMailerNamingAnUndefinedRuleSetFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.rewriting.Masq.masquerade.as=example.com",
                "postern.mailers.relay.sender=Masq/MasqHeaders"))
                .contains("postern.mailers.relay.sender: no rewriting rule set named 'MasqHeaders'")
                .contains("Masq");
        assertThat(startupFailure(output, "postern.mailers.esmtp.recipient=Generics"))
                .contains("postern.mailers.esmtp.recipient: no rewriting rule set named 'Generics'");
    }

    @Test
    void anMLineNamingAnUndefinedRuleSetFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.relay.line=Mrelay, P=[IPC], F=mDFMuXa8, S=EnvFromL/HdrFromL,"
                + " R=MasqSMTP, L=2040, T=DNS/RFC822/SMTP, A=TCP $h"))
                .contains("postern.mailers.relay.sender: no rewriting rule set named 'EnvFromL'");
    }

    @Test
    void sendmailsStandardRuleSetNamesExistWithoutConfiguration() {
        try (ConfigurableApplicationContext context = start("postern.mailers.relay.recipient=EnvToSMTP/MasqRelay")) {
            assertThat(context.getBean(RuntimeConfigurationHolder.class).get().rewritings().forMailer("relay").headerRecipient().name())
                    .isEqualTo("MasqRelay");
            assertThat(context.getBean(RuntimeConfigurationHolder.class).get().rewritings().forMailer("esmtp").headerSender().name())
                    .isEqualTo("HdrFromSMTP");
        }
    }

    @Test
    void anUnreadableGenericsFileFails(CapturedOutput output) {
        Path missing = dir.resolve("genericstable");
        assertThat(startupFailure(output, "postern.rewriting.G.generics.file=" + missing))
                .contains("postern.rewriting.G.generics.file: cannot read " + missing);
    }

    @Test
    void aGenericsFileWithABadLineFailsNamingTheLine(CapturedOutput output) throws IOException {
        Path table = Files.writeString(dir.resolve("genericstable"), "# users\njdoe john.doe@example.com\nalice\n");
        assertThat(startupFailure(output, "postern.rewriting.G.generics.file=" + table))
                .contains("postern.rewriting.G.generics.file: " + table + " line 3: key 'alice' has no value");
        Files.writeString(table, "jdoe john.doe@example.com\nJDOE j@example.com\n");
        assertThat(startupFailure(output, "postern.rewriting.G.generics.file=" + table))
                .contains(table + " line 2: duplicate key 'jdoe' (first on line 1)");
        Files.writeString(table, "jdoe john doe@example.com\n");
        assertThat(startupFailure(output, "postern.rewriting.G.generics.file=" + table))
                .contains(table + " line 1: 'john doe@example.com' is not an address");
    }

    @Test
    void badInlineGenericsEntriesFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.rewriting.G.generics.entries[0]=jdoe"))
                .contains("postern.rewriting.G.generics.entries line 1: key 'jdoe' has no value");
        assertThat(startupFailure(output, "postern.rewriting.G.generics.domains=example.com"))
                .contains("postern.rewriting.G.generics.domains: set, but there is no table");
    }

    @Test
    void masqueradeSettingsWithoutMasqueradeAsFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.rewriting.M.masquerade.domains=example.com"))
                .contains("postern.rewriting.M.masquerade.as: required when other masquerade settings are given");
        assertThat(startupFailure(output, "postern.rewriting.M.masquerade.as=not a domain"))
                .contains("postern.rewriting.M.masquerade.as: 'not a domain' is not a domain name");
        assertThat(startupFailure(output, "postern.rewriting.M.masquerade.as=example.com",
                "postern.rewriting.M.masquerade.domains=[192.0.2.1]"))
                .contains("postern.rewriting.M.masquerade.domains: '[192.0.2.1]' is not a domain name");
    }

    @Test
    void aRuleSetThatRewritesNothingFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.rewriting.Nothing.masquerade.unqualified=false"))
                .contains("postern.rewriting.Nothing: defines no rewriting");
    }

    @Test
    void unknownKeysInARuleSetFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.rewriting.M.masquerade.as=example.com",
                "postern.rewriting.M.masquerade.envelope=true"))
                .contains("postern.rewriting.m.masquerade.envelope").contains("left unbound");
    }
}
