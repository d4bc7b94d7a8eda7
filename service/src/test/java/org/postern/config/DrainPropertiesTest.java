package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postern.routing.Route;

class DrainPropertiesTest {

    private static Route.Relay peer(String spec) {
        return new DrainProperties(Duration.ofSeconds(30), spec).handoffRoute();
    }

    @Test
    void noHandoffByDefault() {
        assertThat(peer(null)).isNull();
        assertThat(peer("  ")).isNull();
    }

    @Test
    void addressAndPort() {
        assertThat(peer("[10.0.0.7]:2525")).isEqualTo(new Route.Relay("relay", "10.0.0.7", 2525, false));
        assertThat(peer("10.0.0.7:2525")).isEqualTo(new Route.Relay("relay", "10.0.0.7", 2525, false));
        assertThat(peer("[IPv6:::1]:2525")).isEqualTo(new Route.Relay("relay", "::1", 2525, false));
    }

    @Test
    void aHostNameIsConnectedToNotLookedUpForMx() {
        assertThat(peer("postern-1.postern-headless:2525"))
                .isEqualTo(new Route.Relay("relay", "postern-1.postern-headless", 2525, false));
        assertThat(peer("peer.example")).isEqualTo(new Route.Relay("relay", "peer.example", 0, false));
    }

    @Test
    void aMailerMayBeNamed() {
        assertThat(peer("esmtp:[10.0.0.7]:2525")).isEqualTo(new Route.Relay("esmtp", "10.0.0.7", 2525, false));
    }

    @Test
    void whatIsNotAPeerFailsNamingTheProperty() {
        assertThatThrownBy(() -> peer("error:550 no")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("postern.drain.handoff: 'error:550 no' does not name a peer relay");
        assertThatThrownBy(() -> peer("esmtp:")).hasMessageStartingWith("postern.drain.handoff: ");
        assertThatThrownBy(() -> peer("[10.0.0.7]:99999")).hasMessageStartingWith("postern.drain.handoff: ")
                .hasMessageContaining("port 99999");
    }

    @Test
    void negativeTimeoutFails() {
        assertThatThrownBy(() -> new DrainProperties(Duration.ofSeconds(-1), null))
                .hasMessage("postern.drain.timeout must not be negative");
    }
}
