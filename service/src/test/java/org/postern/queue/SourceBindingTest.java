package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.routing.NextHop;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.IpLiteral;
import org.postern.smtp.client.ClientPort;

/**
 * Where an outbound connection binds under DaemonPortOptions modifier {@code b}: the receiving
 * address for a hop of its family, the family's ClientPortOptions source for a hop of the other
 * family (received on IPv6, next hop IPv4-only), never a loopback source towards a remote hop;
 * and, within each MX host, addresses of the source's family are tried first.
 */
class SourceBindingTest {

    private static final InetSocketAddress CLIENT_V4 = new InetSocketAddress(IpLiteral.parse("192.0.2.5"), 0);
    private static final ClientPort V4 = new ClientPort(AddressFamily.INET, CLIENT_V4, 0, 0, false, false, false, "");
    private static final ClientPort V6 = ClientPort.defaults(AddressFamily.INET6);

    private static NextHop hop(String host, String address, int preference) {
        return new NextHop(host, IpLiteral.parse(address), 25, preference);
    }

    private static InetAddress ip(String text) {
        return IpLiteral.parse(text);
    }

    @Test
    void theReceivingAddressIsUsedForAHopOfItsFamily() {
        assertThat(NextHopConnector.bind(V4, ip("192.0.2.25"), hop("mx", "198.51.100.1", 10)))
                .isEqualTo(new InetSocketAddress(ip("192.0.2.25"), 0));
        assertThat(NextHopConnector.bind(V6, ip("2001:db8::25"), hop("mx", "2001:db8:1::1", 10)))
                .isEqualTo(new InetSocketAddress(ip("2001:db8::25"), 0));
    }

    @Test
    void aHopOfTheOtherFamilyUsesItsClientPortOptions() {
        // received on IPv6, the next hop is IPv4-only: bind as ClientPortOptions for inet says
        assertThat(NextHopConnector.bind(V4, ip("2001:db8::25"), hop("mx", "198.51.100.1", 10))).isEqualTo(CLIENT_V4);
        assertThat(NextHopConnector.bind(V6, ip("192.0.2.25"), hop("mx", "2001:db8:1::1", 10))).isNull();
    }

    @Test
    void aLoopbackSourceIsUsedOnlyTowardsLoopback() {
        assertThat(NextHopConnector.bind(V4, ip("127.0.0.2"), hop("mx", "198.51.100.1", 10))).isEqualTo(CLIENT_V4);
        assertThat(NextHopConnector.bind(V4, ip("127.0.0.2"), hop("local", "127.0.0.1", 0)))
                .isEqualTo(new InetSocketAddress(ip("127.0.0.2"), 0));
        assertThat(NextHopConnector.bind(V6, ip("::1"), hop("mx", "2001:db8:1::1", 10))).isNull();
    }

    @Test
    void withoutBClientPortOptionsDecide() {
        assertThat(NextHopConnector.bind(V4, null, hop("mx", "198.51.100.1", 10))).isEqualTo(CLIENT_V4);
    }

    @Test
    void theSourcesFamilyComesFirstWithinEachHostButHostsKeepTheirMxOrder() {
        List<NextHop> hops = List.of(hop("mx1", "198.51.100.1", 10), hop("mx1", "2001:db8::1", 10),
                hop("mx2", "198.51.100.2", 20), hop("mx2", "2001:db8::2", 20), hop("mx3", "198.51.100.3", 30));
        assertThat(NextHopConnector.sourceFamilyFirst(hops, AddressFamily.INET6)).containsExactly(
                hop("mx1", "2001:db8::1", 10), hop("mx1", "198.51.100.1", 10),
                hop("mx2", "2001:db8::2", 20), hop("mx2", "198.51.100.2", 20), hop("mx3", "198.51.100.3", 30));
        assertThat(NextHopConnector.sourceFamilyFirst(hops, AddressFamily.INET)).isEqualTo(hops);
    }
}
