package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.config.PosternProperties;
import org.postern.routing.Route;

/** A refresh is applied whole or not at all, and each outcome is counted. */
class ConfigurationRefreshTest {

    private final PosternProperties startup = TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526");
    private final RuntimeConfigurationHolder holder =
            new RuntimeConfigurationHolder(RuntimeConfigurationFactory.build(startup, 1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConfigurationRefresh refresh = new ConfigurationRefresh(holder, startup, registry);
    private final List<RuntimeConfiguration> applied = new ArrayList<>();

    {
        holder.addListener(applied::add);
    }

    private double count(String outcome) {
        return registry.get("postern.config.refresh").tag("outcome", outcome).counter().count();
    }

    private double restartRequired() {
        return registry.get("postern.config.restart.required").gauge().value();
    }

    private static String smartHost(RuntimeConfiguration c) {
        return ((Route.Relay) c.router().route("example.net")).host() + ":" + ((Route.Relay) c.router()
                .route("example.net")).port();
    }

    @Test
    void aValidRefreshSwapsTheSnapshotAndTellsTheListeners() {
        var outcome = refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527",
                "postern.policy.relay-networks=127.0.0.2/32"));

        assertThat(outcome).isEqualTo(new ConfigurationRefresh.Outcome.Applied(2,
                List.of("postern.policy.relay-networks", "postern.routing.smart-host"), List.of()));
        assertThat(smartHost(holder.get())).isEqualTo("127.0.0.1:2527");
        assertThat(holder.get().generation()).isEqualTo(2);
        assertThat(applied).containsExactly(holder.get());
        assertThat(count("applied")).isEqualTo(1);
        assertThat(count("refused")).isZero();
    }

    @Test
    void aTreeThatDoesNotBindIsRefusedAndNothingChanges() {
        RuntimeConfiguration before = holder.get();
        var outcome = refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527",
                "postern.policy.relay-networks=10.0.0.0/33"));

        assertThat(outcome).isInstanceOf(ConfigurationRefresh.Outcome.Refused.class);
        assertThat(((ConfigurationRefresh.Outcome.Refused) outcome).reason())
                .contains("postern.policy.relay-networks").contains("prefix length must be 0..32");
        assertThat(holder.get()).isSameAs(before);
        assertThat(applied).isEmpty();
        assertThat(count("refused")).isEqualTo(1);
        assertThat(count("applied")).isZero();
    }

    @Test
    void aRouteNamingAnUnknownMailerIsRefusedWithTheStartupCheck() {
        RuntimeConfiguration before = holder.get();
        var outcome = refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527",
                "postern.routing.domains.[example.org]=lmtp:[127.0.0.1]:24"));

        assertThat(((ConfigurationRefresh.Outcome.Refused) outcome).reason())
                .startsWith("postern.routing.domains[example.org]: no mailer named 'lmtp'");
        assertThat(holder.get()).isSameAs(before);
        assertThat(smartHost(holder.get())).isEqualTo("127.0.0.1:2526");
    }

    @Test
    void restartOnlyChangesAreReportedNotApplied() {
        RuntimeConfiguration before = holder.get();
        var outcome = refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526",
                "postern.spool.directory=/elsewhere"));

        assertThat(outcome).isEqualTo(new ConfigurationRefresh.Outcome.RestartRequired(
                List.of("postern.spool.directory")));
        assertThat(holder.get()).isSameAs(before);
        assertThat(refresh.pendingRestart()).containsExactly("postern.spool.directory");
        assertThat(restartRequired()).isEqualTo(1);
        assertThat(count("restart_required")).isEqualTo(1);

        // Back to the running value: nothing pending.
        assertThat(refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2526")))
                .isEqualTo(new ConfigurationRefresh.Outcome.Unchanged());
        assertThat(restartRequired()).isZero();
    }

    @Test
    void theSameTreeAgainIsNotCounted() {
        refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527"));
        var again = refresh.refresh(() -> TestProperties.bind("postern.routing.smart-host=[127.0.0.1]:2527"));
        assertThat(again).isEqualTo(new ConfigurationRefresh.Outcome.Unchanged());
        assertThat(count("applied")).isEqualTo(1);
        assertThat(holder.get().generation()).isEqualTo(2);
    }
}
