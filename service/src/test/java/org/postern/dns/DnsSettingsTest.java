package org.postern.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The {@code postern.dns.*} settings: server syntax and bounds. */
class DnsSettingsTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:5353, 127.0.0.1, 5353",
            "127.0.0.1, 127.0.0.1, 53",
            "[::1]:5353, ::1, 5353",
            "[::1], ::1, 53",
            "::1, ::1, 53",
            "' 10.0.0.53 ', 10.0.0.53, 53"})
    void parsesServers(String text, String address, int port) throws Exception {
        assertThat(DnsSettings.parseServer(text))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName(address), port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dns.example.com", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:abc", "[::1", "[::1]5353", "::1:5353x", "127.1", "[dns.example.com]:53"})
    void rejectsWhatIsNotAnAddressAndPort(String text) {
        assertThatThrownBy(() -> DnsSettings.parseServer(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DNS server");
    }

    @Test
    void rejectsNonPositiveTimeoutAndAttempts() {
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
    }

    @Test
    void defaultsAreTheSystemResolverFiveSecondsTwoAttempts() {
        assertThat(DnsSettings.systemDefaults()).isEqualTo(new DnsSettings(List.of(), Duration.ofSeconds(5), 2));
    }

    @Test
    void exceptionStatusMustMatchItsPermanence() {
        assertThatThrownBy(() -> DnsLookupException.permanent("4.4.3", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsLookupException.temporary("5.1.2", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DnsLookupException.temporary("4.4.3", "x").toReply().toString()).isEqualTo("451 4.4.3 x");
    }
}
