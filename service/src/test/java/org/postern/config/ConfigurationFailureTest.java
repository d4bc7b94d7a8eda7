package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.server.BareLineEndings;
import org.postern.smtp.server.SmtpServer;
import org.postern.testing.TestStartup;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Bad configuration fails startup of the real application, and what the operator sees (the
 * exception and the failure report in the log) names the property and the reason. Nothing unknown
 * is silently ignored.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureTest {

    @TempDir
    Path spool;

    /** Starts the application with the test defaults (free ports, a temporary spool), overridden by {@code overrides}. */
    private ConfigurableApplicationContext start(String... overrides) {
        return TestStartup.start(spool, overrides);
    }

    /** Starts with the overrides, expects failure, and returns every message of the cause chain plus the log of the attempt. */
    private String startupFailure(CapturedOutput output, String... overrides) {
        return TestStartup.failure(output, spool, overrides);
    }

    /**
     * The property as the operator wrote it, or as Spring Boot reports a bean-validation error on a
     * constructor-bound record: by its Java path ({@code postern.daemonPorts[0].port}).
     */
    private static String either(String text, String dashed) {
        StringBuilder camel = new StringBuilder();
        for (int i = 0; i < dashed.length(); i++) {
            char c = dashed.charAt(i);
            camel.append(c == '-' ? Character.toUpperCase(dashed.charAt(++i)) : c);
        }
        assertThat(text).containsAnyOf(dashed, camel.toString());
        return text;
    }

    @Test
    void unknownKeyUnderPosternFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.spoool.directory=x"))
                .contains("postern.spoool.directory").contains("left unbound");
    }

    @Test
    void unknownNestedKeyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.limits.max-sesions=1"))
                .contains("postern.limits.max-sesions").contains("left unbound");
    }

    @Test
    void unknownKeyInAListenerFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.daemon-ports[0].prot=25"))
                .contains("postern.daemon-ports[0].prot").contains("left unbound");
    }

    @Test
    void misspelledEnumValueFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.smtp.bare-line-endings=normalise"))
                .contains("postern.smtp.bare-line-endings").contains("normalise");
    }

    @Test
    void badCidrInRelayNetworksFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.policy.relay-networks=127.0.0.0/8,10.0.0.0/33"))
                .contains("postern.policy.relay-networks").contains("'10.0.0.0/33' prefix length must be 0..32");
        assertThat(startupFailure(output, "postern.policy.relay-networks=relay.example.com"))
                .contains("postern.policy.relay-networks").contains("'relay.example.com' is not an IP address");
    }

    @Test
    void unknownDaemonModifierFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.daemon-ports[0].modifiers=EZ"))
                .contains("postern.daemon-ports[0]").contains("unknown DaemonPortOptions modifier 'Z'");
    }

    @Test
    void portOutOfRangeFails(CapturedOutput output) {
        assertThat(either(startupFailure(output, "postern.daemon-ports[0].port=70000"), "postern.daemon-ports[0].port"))
                .contains("70000").contains("must be less than or equal to 65535");
    }

    @Test
    void addressOfTheWrongFamilyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.daemon-ports[0].family=inet6",
                "postern.daemon-ports[0].addr=127.0.0.1"))
                .contains("postern.daemon-ports[MTA].addr").contains("127.0.0.1 is not an address of family inet6");
    }

    @Test
    void listenerAddressMustBeALiteral(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.daemon-ports[0].addr=localhost"))
                .contains("postern.daemon-ports[MTA].addr").contains("'localhost' is not an IP address");
    }

    @Test
    void duplicateListenerNamesFail(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.daemon-ports[1].name=MTA", "postern.daemon-ports[1].addr=127.0.0.1",
                "postern.daemon-ports[1].port=0"))
                .contains("postern.daemon-ports: each listener needs a distinct name");
    }

    @Test
    void plainTextPasswordFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.auth.users.alice={noop}secret"))
                .contains("postern.auth.users.alice: plain-text passwords ({noop}) are not allowed");
    }

    @Test
    void certificateWithoutPrivateKeyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.tls.certificate=file:/nonexistent/tls.crt"))
                .contains("postern.tls.certificate and postern.tls.private-key must be given together");
    }

    @Test
    void commandLineLimitBelowTheRfcMinimumFails(CapturedOutput output) {
        assertThat(either(startupFailure(output, "postern.limits.max-command-line-length=509"),
                "postern.limits.max-command-line-length"))
                .contains("509").contains("must be greater than or equal to 510");
    }

    @Test
    void zeroTimeoutFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.limits.idle-timeout=0s"))
                .contains("postern.limits.idle-timeout must be positive");
    }

    @Test
    void unparseableSmartHostFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.routing.smart-host=relay:[smtp.example.net"))
                .contains("postern.routing.smart-host");
        assertThat(startupFailure(output, "postern.routing.smart-host=local:"))
                .contains("postern.routing.smart-host").contains("local");
    }

    @Test
    void routeNamingAnUnknownMailerFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.routing.domains.[example.net]=lmtp:[127.0.0.1]:24"))
                .contains("postern.routing.domains[example.net]").contains("no mailer named 'lmtp'");
    }

    @Test
    void badMailertableKeyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.routing.domains.[exa mple.net]=esmtp:"))
                .contains("postern.routing.domains").contains("exa mple.net");
    }

    @Test
    void maxBackoffBelowMinBackoffFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.queue.min-backoff=10m", "postern.queue.max-backoff=1m"))
                .contains("postern.queue.max-backoff").contains("postern.queue.min-backoff");
    }

    @Test
    void dnsServerThatIsNotAnAddressFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.dns.servers=dns.example.net:53"))
                .contains("postern.dns.servers[0]").contains("dns.example.net");
    }

    @Test
    void unreadablePasswordFileFails(CapturedOutput output) {
        Path missing = spool.resolve("no-such-secret");
        assertThat(startupFailure(output, "postern.routing.auth.[smtp.example.net].username=postern",
                "postern.routing.auth.[smtp.example.net].password-file=" + missing))
                .contains("postern.routing.auth[smtp.example.net].password-file").contains(missing.toString());
    }

    @Test
    void secondClientPortEntryForAFamilyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.client-ports[0].family=inet", "postern.client-ports[0].addr=127.0.0.1",
                "postern.client-ports[1].family=inet", "postern.client-ports[1].addr=127.0.0.2"))
                .contains("postern.client-ports[1]").contains("a second entry for family inet");
    }

    @Test
    void clientPortAddressOfTheWrongFamilyFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.client-ports[0].family=inet6", "postern.client-ports[0].addr=127.0.0.1"))
                .contains("postern.client-ports (Family=inet6).addr").contains("not an address of family inet6");
    }

    @Test
    void unknownClientPortModifierFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.client-ports[0].modifiers=hQ"))
                .contains("postern.client-ports (Family=inet).modifiers").contains("'Q'");
    }

    @Test
    void specialMailerCannotBeRedefined(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.mailers.error.flags=m"))
                .contains("postern.mailers.error").contains("special mailer");
    }

    @Test
    void spoolDirectoryThatIsAFileFails(CapturedOutput output) throws IOException {
        Path file = Files.writeString(spool.resolve("not-a-directory"), "x");
        assertThat(startupFailure(output, "postern.spool.directory=" + file))
                .contains("postern.spool.directory").contains(file.toString());
    }

    @Test
    void portInUseFailsNamingAddressAndPortUnlessTheListenerIsOptional(CapturedOutput output) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(startupFailure(output, "postern.daemon-ports[0].addr=127.0.0.1",
                    "postern.daemon-ports[0].port=" + port))
                    .contains("cannot listen on 127.0.0.1 port " + port + " (daemon MTA)");

            try (ConfigurableApplicationContext context = start("postern.daemon-ports[0].addr=127.0.0.1",
                    "postern.daemon-ports[0].port=" + port, "postern.daemon-ports[0].modifiers=O",
                    "postern.daemon-ports[1].name=second", "postern.daemon-ports[1].addr=127.0.0.1",
                    "postern.daemon-ports[1].port=0")) {
                SmtpServer server = context.getBean(SmtpServer.class);
                assertThat(server.isRunning()).isTrue();
                assertThat(server.localPort("MTA")).as("the optional listener is not there").isEqualTo(-1);
                assertThat(server.localPort("second")).as("the others are").isPositive();
                assertThat(output.getAll()).contains("cannot listen on 127.0.0.1 port " + port)
                        .contains("starting without it (modifier O)");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PosternProperties.class)
    static class PropertiesOnly {
    }

    /** The embedded application.yaml, bound without starting anything (port 2525 may be taken on this machine). */
    @Test
    void embeddedDefaultsAreALoopbackRelay() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PosternProperties p = context.getBean(PosternProperties.class);
                    assertThat(p.daemonPorts()).hasSize(1);
                    DaemonPortProperties mta = p.daemonPorts().get(0);
                    assertThat(mta.name()).isEqualTo("MTA");
                    assertThat(mta.addr()).isEqualTo("127.0.0.1");
                    assertThat(mta.port()).isEqualTo(2525);
                    assertThat(mta.family()).isEqualTo(AddressFamily.INET);
                    assertThat(mta.listen()).isEqualTo(128);
                    assertThat(mta.modifiers()).isEmpty();
                    assertThat(mta.children()).isZero();
                    assertThat(p.policy().relayNetworks()).containsExactly("127.0.0.0/8", "::1/128");
                    assertThat(p.limits().maxMessageSize()).isEqualTo(DataSize.ofMegabytes(35));
                    assertThat(p.limits().maxCommandLineLength()).isEqualTo(2048);
                    assertThat(p.limits().maxDataLineLength()).isEqualTo(998);
                    assertThat(p.limits().maxSessions()).isEqualTo(1000);
                    assertThat(p.limits().maxSessionsPerClient()).isEqualTo(100);
                    assertThat(p.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(p.limits().commandTimeout()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(p.smtp().bareLineEndings()).isEqualTo(BareLineEndings.REJECT);
                    assertThat(p.auth().users()).isEmpty();
                    assertThat(p.auth().allowWithoutTls()).isFalse();
                    assertThat(p.tls().enabled()).isTrue();
                    assertThat(p.spool().directory().toAbsolutePath().normalize())
                            .isEqualTo(Path.of("data/spool").toAbsolutePath().normalize());
                    assertThat(p.spool().groupCommitWindow()).isZero();
                    assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
                });
    }
}
