package org.postern.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.config.PolicyProperties;

/** No open relay: only clients in a relay network, or authenticated ones, may relay. */
class RelayPolicyTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** The embedded default, as PolicyProperties' @DefaultValue declares it. */
    private static final RelayPolicy LOOPBACK_ONLY =
            new RelayPolicy(new PolicyProperties(List.of("127.0.0.0/8", "::1/128")).relayRanges());

    @Test
    void defaultRelaysForLoopbackOnly() throws UnknownHostException {
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("127.0.0.1"))).isTrue();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("127.200.3.4"))).isTrue();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("::1"))).isTrue();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("::ffff:127.0.0.1"))).as("IPv4-mapped loopback").isTrue();

        assertThat(LOOPBACK_ONLY.isRelayClient(ip("10.0.0.1"))).isFalse();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("192.0.2.1"))).isFalse();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("2001:db8::1"))).isFalse();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("::2"))).isFalse();
        assertThat(LOOPBACK_ONLY.isRelayClient(ip("0.0.0.0"))).isFalse();
    }

    @Test
    void outsiderMayRelayOnlyWhenAuthenticated() throws UnknownHostException {
        assertThat(LOOPBACK_ONLY.mayRelay(ip("192.0.2.1"), false)).isFalse();
        assertThat(LOOPBACK_ONLY.mayRelay(ip("192.0.2.1"), true)).isTrue();
        assertThat(LOOPBACK_ONLY.mayRelay(ip("127.0.0.1"), false)).isTrue();
    }

    @Test
    void configuredNetworksAreAddedToNothingElse() throws UnknownHostException {
        RelayPolicy policy = new RelayPolicy(List.of(NetworkRange.parse("10.1.0.0/16"), NetworkRange.parse("fd00::/8")));
        assertThat(policy.isRelayClient(ip("10.1.200.3"))).isTrue();
        assertThat(policy.isRelayClient(ip("fd00::25"))).isTrue();
        assertThat(policy.isRelayClient(ip("10.2.0.1"))).isFalse();
        assertThat(policy.isRelayClient(ip("127.0.0.1"))).as("loopback is not implied").isFalse();
    }

    @Test
    void noNetworksMeansAuthenticationIsTheOnlyWay() throws UnknownHostException {
        RelayPolicy policy = new RelayPolicy(List.of());
        assertThat(policy.mayRelay(ip("127.0.0.1"), false)).isFalse();
        assertThat(policy.mayRelay(ip("127.0.0.1"), true)).isTrue();
    }
}
