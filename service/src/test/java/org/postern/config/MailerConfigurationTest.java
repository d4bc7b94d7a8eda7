package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerProtocol;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;
import org.postern.testing.TestStartup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code postern.mailers}: as fields or as the sendmail M line itself, in properties and in YAML,
 * and every bad mailer definition failing startup of the real application with the property and
 * the reason (in the style of {@link ConfigurationFailureTest}).
 */
@ExtendWith(OutputCaptureExtension.class)
class MailerConfigurationTest {

    @TempDir
    Path spool;

    private ConfigurableApplicationContext start(String... overrides) {
        return TestStartup.start(spool, overrides);
    }

    private String startupFailure(CapturedOutput output, String... overrides) {
        return TestStartup.failure(output, spool, overrides);
    }

    private MailerDefinition mailer(String name, String... overrides) {
        try (ConfigurableApplicationContext context = start(overrides)) {
            return context.getBean(RuntimeConfigurationHolder.class).get().mailers().get(name);
        }
    }

    // ---- accepted ----

    @Test
    void theNativeLineReplacesTheBuiltInMailer() {
        MailerDefinition esmtp = mailer("esmtp", "postern.mailers.esmtp=Mesmtp, P=[IPC], F=mDFMuXa0, "
                + "S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP, E=\\r\\n, L=990, m=7, T=DNS/RFC822/SMTP, A=TCP $h 2525");
        assertThat(esmtp.flags()).isEqualTo("mDFMuXa0");
        assertThat(esmtp.maxMessages()).isEqualTo(7);
        assertThat(esmtp.port()).isEqualTo(2525);
        assertThat(esmtp.senderRewriting()).isEqualTo(new RewritingRef("EnvFromSMTP", "HdrFromSMTP"));
    }

    @Test
    void theNativeLineInYaml() throws IOException {
        Path yaml = Files.writeString(spool.resolveSibling(spool.getFileName() + "-mailers.yml"), """
                postern:
                  mailers:
                    lmtp: "Mlmtp, P=[LMTP], F=mDFMuX, E=\\\\r\\\\n, L=990, W=2m, A=TCP $h 24"
                    smtp8:
                      maxmessages: 3
                """);
        try (ConfigurableApplicationContext context = start("spring.config.additional-location=file:" + yaml)) {
            Mailers mailers = context.getBean(RuntimeConfigurationHolder.class).get().mailers();
            MailerDefinition lmtp = mailers.get("lmtp");
            assertThat(lmtp.protocol()).isEqualTo(MailerProtocol.LMTP);
            assertThat(lmtp.port()).isEqualTo(24);
            assertThat(lmtp.waitTime()).isEqualTo(Duration.ofMinutes(2));
            assertThat(lmtp.eol()).isEqualTo("\r\n");
            assertThat(mailers.get("smtp8").maxMessages()).isEqualTo(3);
            assertThat(mailers.get("smtp8").flags()).isEqualTo("mDFMuX8"); // the rest stays built in
        } finally {
            Files.deleteIfExists(yaml);
        }
    }

    @Test
    void fieldsOverTheBuiltInOrSendmailDefaults() {
        MailerDefinition hub = mailer("hub", "postern.mailers.hub.path=[IPC]", "postern.mailers.hub.flags=mz8",
                "postern.mailers.hub.argv=TCP $h 24", "postern.mailers.hub.sender=Masq",
                "postern.mailers.hub.recipient=EnvTo/HdrTo", "postern.mailers.hub.eol=\\r\\n",
                "postern.mailers.hub.linelimit=998", "postern.mailers.hub.type=dns/rfc822/smtp",
                "postern.mailers.hub.wait=45s", "postern.mailers.hub.charset=iso-8859-1",
                "postern.mailers.hub.maxsize=10MB", "postern.mailers.hub.recipients=20",
                // the rule sets S= and R= name must exist (postern.rewriting)
                "postern.rewriting.Masq.masquerade.as=example.com", "postern.rewriting.EnvTo.domain-table.a.example=b.example",
                "postern.rewriting.HdrTo.domain-table.a.example=b.example");
        assertThat(hub).isEqualTo(MailerDefinition.builder("hub").protocol(MailerProtocol.LMTP).flags("mz8").port(24)
                .senderRewriting(RewritingRef.parse("Masq")).recipientRewriting(RewritingRef.parse("EnvTo/HdrTo"))
                .lineLimit(998).waitTime(Duration.ofSeconds(45)).charset("iso-8859-1").maxSize(10L * 1024 * 1024)
                .recipients(20).build());
        assertThat(mailer("relay", "postern.mailers.relay.port=587").lineLimit()).isEqualTo(2040);
    }

    // ---- rejected, naming the property and the reason ----

    @Test
    void aMalformedLineFailsNamingTheMailer(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp=Mesmtp, P=[IPC], F=mDFMuXa, A=TCP $h, X=1"))
                .contains("postern.mailers.esmtp").contains("unknown mailer field X=");
    }

    @Test
    void theNameInTheLineMustBeTheKey(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp=Mrelay, P=[IPC], F=m, A=TCP $h"))
                .contains("postern.mailers.esmtp").contains("defines mailer 'relay'");
    }

    @Test
    void aLineAndFieldsTogetherFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.line=Mesmtp, P=[IPC], F=m, A=TCP $h",
                "postern.mailers.esmtp.flags=m"))
                .contains("postern.mailers.esmtp").contains("either the whole M line or its fields");
    }

    @Test
    void anUnknownFlagFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.flags=mDFMuXaY"))
                .contains("postern.mailers.esmtp").contains("unknown mailer flag 'Y'");
    }

    /** Every rejected flag and its reason: {@code MailerFlagsTest}; here, that startup reports it. */
    @Test
    void flagsForLocalDeliveryOrProgramsFailWithTheReason(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.flags=ml"))
                .contains("postern.mailers.esmtp").contains("mailer flag 'l' is not supported: local delivery");
        assertThat(startupFailure(output, "postern.mailers.esmtp=Mesmtp, P=[IPC], F=m|, A=TCP $h"))
                .contains("postern.mailers.esmtp").contains("mailer flag '|' is not supported: |program");
    }

    @Test
    void fieldsForProgramsFailWithTheReason(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.directory=$z:/"))
                .contains("postern.mailers.esmtp.directory").contains("Directory (D=)").contains("runs no programs");
        assertThat(startupFailure(output, "postern.mailers.esmtp.userid=mail"))
                .contains("postern.mailers.esmtp.userid").contains("Userid (U=)");
        assertThat(startupFailure(output, "postern.mailers.esmtp.nice=10"))
                .contains("postern.mailers.esmtp.nice").contains("Nice (N=)");
        assertThat(startupFailure(output, "postern.mailers.esmtp.root=/var/chroot"))
                .contains("postern.mailers.esmtp.root").contains("chroot");
        assertThat(startupFailure(output, "postern.mailers.esmtp.queuegroup=slow"))
                .contains("postern.mailers.esmtp.queuegroup").contains("no queue groups");
        assertThat(startupFailure(output, "postern.mailers.esmtp.path=/usr/bin/procmail"))
                .contains("postern.mailers.esmtp.path").contains("is a program");
        assertThat(startupFailure(output, "postern.mailers.esmtp=Mesmtp, P=[IPC], U=mail, A=TCP $h"))
                .contains("postern.mailers.esmtp").contains("Userid (U=)");
        assertThat(startupFailure(output, "postern.mailers.esmtp.argv=FILE /var/run/lmtp"))
                .contains("postern.mailers.esmtp.argv").contains("Unix-domain socket");
    }

    @Test
    void aNegativeMaxsizeFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.maxsize=-1"))
                .contains("postern.mailers.esmtp").contains("maxsize (M=) must not be negative");
        assertThat(startupFailure(output, "postern.mailers.esmtp=Mesmtp, P=[IPC], M=-5, A=TCP $h"))
                .contains("postern.mailers.esmtp").contains("maxsize (M=) must not be negative");
    }

    @Test
    void anEolOtherThanCrlfFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.eol=\\n"))
                .contains("postern.mailers.esmtp").contains("E= must be \\r\\n");
    }

    @Test
    void badNumbersAndTypesFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.esmtp.linelimit=-1"))
                .contains("postern.mailers.esmtp").contains("linelimit (L=) must not be negative");
        assertThat(startupFailure(output, "postern.mailers.esmtp.type=dns/rfc822/smtp/x"))
                .contains("postern.mailers.esmtp.type").contains("more than three parts");
        assertThat(startupFailure(output, "postern.mailers.esmtp.charset=utf 8"))
                .contains("postern.mailers.esmtp").contains("not a MIME charset name");
    }

    @Test
    void aMailerReferencedByARouteButNotDefinedFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.routing.domains[example.net]=lmtp:[127.0.0.1]"))
                .contains("postern.routing.domains[example.net]").contains("no mailer named 'lmtp'");
        assertThat(startupFailure(output, "postern.routing.smart-host=hub:[127.0.0.1]"))
                .contains("postern.routing.smart-host").contains("no mailer named 'hub'");
    }
}
