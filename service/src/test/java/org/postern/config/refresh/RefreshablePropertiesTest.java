package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;
import org.postern.config.PosternProperties;
import org.postern.smtp.client.TlsPolicy;

/**
 * A refreshed tree is split into what applies now (routes, mailers, relay networks) and what waits
 * for a restart, which is reported property by property and never applied.
 */
class RefreshablePropertiesTest {

    @Test
    void refreshableValuesComeFromTheNewTreeTheRestFromTheRunningOne() {
        PosternProperties running = TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526",
                "postern.routing.tls.policy=opportunistic", "postern.limits.max-recipients=100");
        PosternProperties next = TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527",
                "postern.routing.domains.[example.org]=discard:", "postern.mailers.relay.port=2528",
                "postern.policy.relay-networks=127.0.0.1/32",
                "postern.routing.tls.policy=required", "postern.limits.max-recipients=5",
                "postern.daemon-ports[0].port=2600", "postern.spool.directory=/elsewhere");

        RefreshableProperties.Split split = RefreshableProperties.split(running, next);

        PosternProperties effective = split.effective();
        assertThat(effective.routing().smartHost()).isEqualTo("[127.0.0.1]:2527");
        assertThat(effective.routing().domains()).containsOnlyKeys("example.org");
        assertThat(effective.mailers().get("relay").port()).isEqualTo(2528);
        assertThat(effective.policy().relayNetworks()).containsExactly("127.0.0.1/32");
        assertThat(effective.routing().tls().policy()).isEqualTo(TlsPolicy.OPPORTUNISTIC);
        assertThat(effective.limits().maxRecipients()).isEqualTo(100);
        assertThat(effective.daemonPorts()).isEqualTo(running.daemonPorts());
        assertThat(effective.spool()).isEqualTo(running.spool());
        assertThat(split.restartOnlyChanges()).containsExactlyInAnyOrder("postern.routing.tls.policy",
                "postern.limits.max-recipients", "postern.daemon-ports", "postern.spool.directory");
    }

    @Test
    void anUnchangedTreeHasNothingPending() {
        PosternProperties running = TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526");
        RefreshableProperties.Split split = RefreshableProperties.split(running,
                TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526"));
        assertThat(split.effective()).isEqualTo(running);
        assertThat(split.restartOnlyChanges()).isEmpty();
    }

    @Test
    void everyRefreshablePathNamesARealProperty() {
        for (String path : RefreshableProperties.PATHS) {
            Class<?> type = PosternProperties.class;
            for (String name : path.split("\\.")) {
                assertThat(type.isRecord()).as("%s: %s is a record", path, type.getSimpleName()).isTrue();
                RecordComponent found = null;
                for (RecordComponent c : type.getRecordComponents()) {
                    if (RefreshableProperties.kebab(c.getName()).equals(name)) {
                        found = c;
                    }
                }
                assertThat(found).as("%s: no property %s in %s", path, name, type.getSimpleName()).isNotNull();
                type = found.getType();
            }
        }
    }

    @Test
    void pathsMatchWholeNamesOnly() {
        assertThat(RefreshableProperties.isRefreshable("routing.smart-host")).isTrue();
        assertThat(RefreshableProperties.isRefreshable("mailers.relay.port")).isTrue();
        assertThat(RefreshableProperties.isRefreshable("routing")).isFalse();
        assertThat(RefreshableProperties.isRefreshable("routing.tls")).isFalse();
        assertThat(RefreshableProperties.isRefreshable("mailers-extra")).isFalse();
    }
}
