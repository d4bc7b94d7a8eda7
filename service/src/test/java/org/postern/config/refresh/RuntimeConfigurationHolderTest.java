package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.policy.RelayPolicy;

/** Readers of the holder see the swapped snapshot from their next read; listeners cannot undo a swap. */
class RuntimeConfigurationHolderTest {

    @Test
    void aFollowingRelayPolicyDecidesWithTheNetworksInEffect() throws Exception {
        RuntimeConfigurationHolder holder = new RuntimeConfigurationHolder(
                RuntimeConfigurationFactory.build(TestProperties.bind("postern.policy.relay-networks=127.0.0.1/32"), 1));
        RelayPolicy policy = RelayPolicy.following(() -> holder.get().relayPolicy());
        InetAddress client = InetAddress.getByName("127.0.0.2");
        assertThat(policy.mayRelay(client, false)).isFalse();

        holder.apply(RuntimeConfigurationFactory.build(
                TestProperties.bind("postern.policy.relay-networks=127.0.0.1/32,127.0.0.2/32"), 2));
        assertThat(policy.mayRelay(client, false)).isTrue();
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersOrUndoTheSwap() {
        RuntimeConfigurationHolder holder = new RuntimeConfigurationHolder(
                RuntimeConfigurationFactory.build(TestProperties.bind(), 1));
        List<Long> seen = new ArrayList<>();
        holder.addListener(c -> {
            throw new IllegalStateException("listener bug");
        });
        holder.addListener(c -> seen.add(c.generation()));
        RuntimeConfiguration next = RuntimeConfigurationFactory.build(TestProperties.bind(), 2);
        holder.apply(next);
        assertThat(holder.get()).isSameAs(next);
        assertThat(seen).containsExactly(2L);
    }
}
