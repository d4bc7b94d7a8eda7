package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.config.DaemonModifiers;
import org.postern.config.DaemonPortProperties;
import org.postern.config.PosternProperties;
import org.postern.smtp.AddressFamily;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** How listener entries become sockets to bind: the embedded default is 127.0.0.1:2525, and addresses are literals of their family. */
class SmtpServerConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PosternProperties.class)
    static class PropertiesOnly {
    }

    private static DaemonPortProperties entry(String addr, AddressFamily family) {
        return new DaemonPortProperties("MTA", addr, 25, family, 128, "", null, null, 0);
    }

    @Test
    void embeddedDefaultListensOnLoopbackPort2525() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(PropertiesOnly.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    List<DaemonPort> ports = SmtpServerConfiguration.daemonPorts(
                            context.getBean(PosternProperties.class).daemonPorts());
                    assertThat(ports).hasSize(1);
                    DaemonPort mta = ports.get(0);
                    assertThat(mta.name()).isEqualTo("MTA");
                    assertThat(mta.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                    assertThat(mta.address().isLoopbackAddress()).isTrue();
                    assertThat(mta.port()).isEqualTo(2525);
                    assertThat(mta.family()).isEqualTo(AddressFamily.INET);
                    assertThat(mta.modifiers()).isEmpty();
                    assertThat(mta.backlog()).isEqualTo(128);
                });
    }

    @Test
    void missingAddrMeansEveryAddressOfTheFamily() throws Exception {
        assertThat(SmtpServerConfiguration.daemonPorts(List.of(entry("", AddressFamily.INET))).get(0).address())
                .isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(SmtpServerConfiguration.daemonPorts(List.of(entry("", AddressFamily.INET6))).get(0).address())
                .isEqualTo(InetAddress.getByName("::"));
    }

    @Test
    void ipv6LoopbackListener() throws Exception {
        DaemonPort port = SmtpServerConfiguration.daemonPorts(List.of(entry("::1", AddressFamily.INET6))).get(0);
        assertThat(port.address()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(port.family()).isEqualTo(AddressFamily.INET6);
    }

    @Test
    void addressMustBeALiteralOfTheFamily() {
        assertThatThrownBy(() -> SmtpServerConfiguration.daemonPorts(List.of(entry("127.0.0.1", AddressFamily.INET6))))
                .hasMessage("postern.daemon-ports[MTA].addr: 127.0.0.1 is not an address of family inet6");
        assertThatThrownBy(() -> SmtpServerConfiguration.daemonPorts(List.of(entry("::1", AddressFamily.INET))))
                .hasMessage("postern.daemon-ports[MTA].addr: ::1 is not an address of family inet");
        assertThatThrownBy(() -> SmtpServerConfiguration.daemonPorts(List.of(entry("localhost", AddressFamily.INET))))
                .hasMessage("postern.daemon-ports[MTA].addr: 'localhost' is not an IP address");
        // Shorthands InetAddress would accept, and dotted host names that would need DNS.
        for (String bad : List.of("127.1", "10", "010.0.0.1", "mail.example.com", "cafe.de")) {
            assertThatThrownBy(() -> SmtpServerConfiguration.daemonPorts(List.of(entry(bad, AddressFamily.INET))))
                    .hasMessage("postern.daemon-ports[MTA].addr: '" + bad + "' is not an IP address");
        }
    }

    @Test
    void modifiersAndBufferSizesCarryOver() {
        DaemonPortProperties p = new DaemonPortProperties("MSA", "127.0.0.1", 587, AddressFamily.INET, 10, "Ea",
                DataSize.ofKilobytes(64), null, 5);
        DaemonPort port = SmtpServerConfiguration.daemonPorts(List.of(p)).get(0);
        assertThat(port.modifiers()).containsExactlyInAnyOrder(DaemonModifiers.NO_ETRN, DaemonModifiers.REQUIRE_AUTH);
        assertThat(port.flags()).isEqualTo("aE");
        assertThat(port.sndBufSize()).isEqualTo(65536);
        assertThat(port.rcvBufSize()).isZero();
        assertThat(port.children()).isEqualTo(5);
    }

    @Test
    void configuredHostnameIsUsedAsGivenAndBlankMeansTheMachineName() {
        assertThat(SmtpServerConfiguration.hostname(" relay.example.com ")).isEqualTo("relay.example.com");
        assertThat(SmtpServerConfiguration.hostname("")).isNotBlank();
        assertThat(SmtpServerConfiguration.hostname(null)).isEqualTo(SmtpServerConfiguration.hostname(" "));
    }
}
