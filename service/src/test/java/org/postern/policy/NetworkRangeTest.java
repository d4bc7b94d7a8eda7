package org.postern.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR blocks for the relay networks: IPv4 and IPv6, their edges, and what is not a block. */
class NetworkRangeTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // literals only: no DNS
    }

    @Test
    void ipv4BlockContainsItsAddressesOnly() throws UnknownHostException {
        NetworkRange ten = NetworkRange.parse("10.0.0.0/8");
        assertThat(ten.contains(ip("10.0.0.0"))).isTrue();
        assertThat(ten.contains(ip("10.255.255.255"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.0"))).isFalse();
        assertThat(ten.contains(ip("9.255.255.255"))).isFalse();

        NetworkRange odd = NetworkRange.parse("172.16.0.0/12");
        assertThat(odd.contains(ip("172.31.255.255"))).isTrue();
        assertThat(odd.contains(ip("172.32.0.0"))).isFalse();
        assertThat(odd.contains(ip("172.15.255.255"))).isFalse();
    }

    @Test
    void hostBitsAreMaskedOff() {
        NetworkRange r = NetworkRange.parse("192.168.1.77/24");
        assertThat(r).hasToString("192.168.1.0/24");
        assertThat(r).isEqualTo(NetworkRange.parse("192.168.1.0/24"));
        assertThat(r.hashCode()).isEqualTo(NetworkRange.parse("192.168.1.0/24").hashCode());
        assertThat(NetworkRange.parse(" 10.1.2.3/8 ")).hasToString("10.0.0.0/8");
    }

    @Test
    void bareAddressIsASingleHost() throws UnknownHostException {
        NetworkRange v4 = NetworkRange.parse("127.0.0.1");
        assertThat(v4.prefixLength()).isEqualTo(32);
        assertThat(v4.contains(ip("127.0.0.1"))).isTrue();
        assertThat(v4.contains(ip("127.0.0.2"))).isFalse();

        NetworkRange v6 = NetworkRange.parse("::1");
        assertThat(v6.prefixLength()).isEqualTo(128);
        assertThat(v6.contains(ip("::1"))).isTrue();
        assertThat(v6.contains(ip("::2"))).isFalse();
    }

    @Test
    void ipv6BlockContainsItsAddressesOnly() throws UnknownHostException {
        NetworkRange ula = NetworkRange.parse("fd00::/8");
        assertThat(ula.contains(ip("fd12:3456:789a::1"))).isTrue();
        assertThat(ula.contains(ip("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();

        NetworkRange doc = NetworkRange.parse("2001:DB8:0:1::/65");
        assertThat(doc.contains(ip("2001:db8:0:1:7fff::1"))).isTrue();
        assertThat(doc.contains(ip("2001:db8:0:1:8000::1"))).isFalse();
        assertThat(doc).hasToString("2001:db8:0:1:0:0:0:0/65");
    }

    @Test
    void slashZeroContainsEveryAddressOfItsFamilyOnly() throws UnknownHostException {
        NetworkRange allV4 = NetworkRange.parse("0.0.0.0/0");
        assertThat(allV4.contains(ip("203.0.113.9"))).isTrue();
        assertThat(allV4.contains(ip("255.255.255.255"))).isTrue();
        assertThat(allV4.contains(ip("::1"))).isFalse();
        assertThat(NetworkRange.parse("1.2.3.4/0")).isEqualTo(allV4);

        NetworkRange allV6 = NetworkRange.parse("::/0");
        assertThat(allV6.contains(ip("2001:db8::1"))).isTrue();
        assertThat(allV6.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void familiesNeverMatchEachOther() throws UnknownHostException {
        assertThat(NetworkRange.parse("127.0.0.0/8").contains(ip("::1"))).isFalse();
        assertThat(NetworkRange.parse("::1/128").contains(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.0.0.0/33       | '10.0.0.0/33' prefix length must be 0..32",
            "10.0.0.0/-1       | '10.0.0.0/-1' prefix length must be 0..32",
            "::/129            | '::/129' prefix length must be 0..128",
            "10.0.0.0/         | '10.0.0.0/' has a bad prefix length",
            "10.0.0.0/eight    | '10.0.0.0/eight' has a bad prefix length",
            "10.0.0.0/8/8      | '10.0.0.0/8/8' has a bad prefix length",
            "10.0.0.0/ 8       | '10.0.0.0/ 8' has a bad prefix length",
    })
    void badPrefixLengthsAreRefused(String cidr, String reason) {
        assertThatThrownBy(() -> NetworkRange.parse(cidr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost/8", "example.com/24", "mail.example.com",
            // host names made only of hex digits and dots look like addresses to a lax check
            "cafe.de", "beef/16", "dead.beef.cafe", "abc",
            // shorthand IPv4 forms that InetAddress would read as something else entirely
            "10/8", "10", "172.16/12", "127.1", "1.2.3.4.5", "256.0.0.1", "1.2.3.04",
            // malformed IPv6
            "1::2::3", ".:1", "12345::/16", "2001:db8::g", ":::", "[::1]", "fe80::1%lo",
            "", " ", "/8"})
    void whatIsNotAnAddressOrBlockIsRefused(String text) {
        assertThatThrownBy(() -> NetworkRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isBlank() ? "empty network" : "'" + text + "'");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> NetworkRange.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty network");
    }

    @Test
    void rangeIsImmutable() throws UnknownHostException {
        byte[] network = {10, 0, 0, 0};
        NetworkRange r = new NetworkRange(network, 8);
        network[0] = 11;
        r.network()[0] = 12;
        assertThat(r.contains(ip("10.1.1.1"))).isTrue();
    }
}
