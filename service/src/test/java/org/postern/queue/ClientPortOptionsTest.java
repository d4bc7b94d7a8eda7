package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.config.ClientPortProperties;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.IpLiteral;
import org.postern.smtp.client.ClientPort;
import org.springframework.util.unit.DataSize;

/**
 * ClientPortOptions entries become the client port of their family: Addr and Port are the bind
 * address (none when neither is given), SndBufSize and RcvBufSize the socket buffers, and the
 * modifiers h, A and S with {@code ${client_flags}} as written.
 */
class ClientPortOptionsTest {

    @Test
    void eachKeyReachesTheClientPortOfItsFamily() {
        Map<AddressFamily, ClientPort> ports = QueueConfiguration.clientPorts(List.of(
                new ClientPortProperties(AddressFamily.INET, "192.0.2.25", 2525, DataSize.ofKilobytes(32),
                        DataSize.ofKilobytes(64), "hA"),
                new ClientPortProperties(AddressFamily.INET6, "", 0, null, null, "S")));
        ClientPort v4 = ports.get(AddressFamily.INET);
        assertThat(v4.bind()).isEqualTo(new InetSocketAddress(IpLiteral.parse("192.0.2.25"), 2525));
        assertThat(v4.sendBuffer()).isEqualTo(32 * 1024);
        assertThat(v4.receiveBuffer()).isEqualTo(64 * 1024);
        assertThat(v4.interfaceHelo()).isTrue();
        assertThat(v4.noAuth()).isTrue();
        assertThat(v4.noStartTls()).isFalse();
        assertThat(v4.flags()).isEqualTo("hA");
        ClientPort v6 = ports.get(AddressFamily.INET6);
        assertThat(v6.bind()).isNull(); // no Addr, no Port: the system's choice
        assertThat(v6.sendBuffer()).isZero();
        assertThat(v6.noStartTls()).isTrue();
        assertThat(v6.noAuth()).isFalse();
        assertThat(v6.interfaceHelo()).isFalse();
    }

    @Test
    void aPortWithoutAnAddressBindsTheWildcardOfTheFamily() {
        ClientPort v6 = QueueConfiguration.clientPorts(List.of(
                new ClientPortProperties(AddressFamily.INET6, "", 2526, null, null, ""))).get(AddressFamily.INET6);
        assertThat(v6.bind()).isEqualTo(new InetSocketAddress(IpLiteral.parse("::"), 2526));
    }
}
