package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.PosternApplication;
import org.postern.config.refresh.RuntimeConfiguration;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.mailer.MailerProtocol;
import org.postern.smtp.server.SmtpServer;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code config/postern-sendmail.yml}, the complete sendmail-style example, starts Postern as it
 * is, with only what a test must change: listeners on loopback with free ports, and next hops on
 * loopback receivers. Its listeners, mailers, header lines, header checks and masquerading are then
 * in effect: seen in the running configuration and at the receiver.
 */
class SendmailStyleConfigurationScenarioTest {

    @TempDir
    Path dir;

    @Test
    void theSendmailStyleExampleStartsAndRelays() throws Exception {
        try (TestMailReceiver smartHost = new TestMailReceiver()) {
            String yaml = Files.readString(Path.of("..", "config", "postern-sendmail.yml"))
                    // Tests stay on loopback, on ports the machine has free.
                    .replace("addr: 0.0.0.0", "addr: 127.0.0.1").replace("addr: \"::\"", "addr: \"::1\"")
                    .replaceAll("port: (25|587|465),", "port: 0,")
                    .replace("relay:[smtp.provider.example]", "relay:[127.0.0.1]:" + smartHost.port());
            assertThat(yaml).doesNotContain("addr: 0.0.0.0", "port: 25,").contains("relay:[127.0.0.1]:");
            Path config = dir.resolve("postern-sendmail.yml");
            Files.writeString(config, yaml);

            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PosternApplication.class).run(
                    "--spring.config.additional-location=file:" + config, "--server.address=127.0.0.1",
                    "--server.port=0", "--postern.spool.directory=" + dir.resolve("spool"),
                    "--postern.dns.servers=127.0.0.1:1", "--postern.dns.timeout=500ms")) {
                SmtpServer server = context.getBean(SmtpServer.class);
                // MTA-v6 has modifier O: it starts without IPv6 on the machine.
                assertThat(server.daemonNames()).contains("MTA", "MSA", "SMTPS");
                RuntimeConfiguration runtime = context.getBean(RuntimeConfigurationHolder.class).get();
                assertThat(runtime.mailers().get("lmtp").protocol()).isEqualTo(MailerProtocol.LMTP);
                assertThat(runtime.mailers().get("lmtp").port()).isEqualTo(24);
                assertThat(runtime.mailers().get("partner").maxSize()).isEqualTo(20L * 1024 * 1024);
                assertThat(runtime.mailers().get("partner").port()).isEqualTo(2525);
                assertThat(runtime.mailers().get("esmtp").lineLimit()).isEqualTo(990);

                try (SmtpTestClient client = SmtpTestClient.connect(server.localPort("MTA"))) {
                    assertReply(client.greeting(), 220, null);
                    assertReply(client.ehlo("app.test"), 250, null);
                    // The CheckSubject ruleset refuses at DATA with its text.
                    SmtpTestClient.Reply refused = client.sendMessage("app@web1.hosts.example.com",
                            List.of("someone@example.net"), "Subject: cheap viagra\r\n\r\nbody\r\n");
                    assertReply(refused, 550, "5.7.1");
                    assertThat(refused.text()).isEqualTo("5.7.1 Spam rejected");
                    // Anything else is relayed through the smart host with the relay mailer.
                    assertReply(client.sendMessage("app@web1.hosts.example.com", List.of("someone@example.net"),
                            "From: app@web1.hosts.example.com\r\nSubject: hello\r\n\r\nbody\r\n"), 250, "2.0.0");
                }
                TestMailReceiver.await(Duration.ofSeconds(20), () -> smartHost.messages().size() == 1,
                        "delivery to the smart host");
                TestMailReceiver.Message m = smartHost.messages().getFirst();
                String data = new String(m.data(), StandardCharsets.UTF_8);
                // masquerade_envelope and MASQUERADE_AS with masquerade_entire_domain.
                assertThat(m.mailFrom()).isEqualTo("app@example.com");
                assertThat(data).contains("From: app@example.com\r\n");
                // H?${Site}?X-Relay-Site: ${Site} via ${daemon_name}, and the relay mailer's D and M.
                assertThat(data).contains("X-Relay-Site: eu-west-1 via MTA\r\n").contains("\r\nDate: ")
                        .containsPattern("\r\nMessage-Id: <\\d+\\.[0-9A-Z]+@mail\\.example\\.com>\r\n");
                assertThat(data).contains("by mail.example.com");
            }
        }
    }
}
