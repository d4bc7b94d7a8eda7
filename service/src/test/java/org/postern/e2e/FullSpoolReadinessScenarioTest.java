package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postern.testing.HealthProbe;
import org.postern.testing.PosternTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A spool whose file system has less free space than {@code postern.health.spool-min-free-space}
 * makes the relay not ready: {@code /actuator/health/readiness} answers 503 DOWN and says why, so
 * the load balancer sends clients to another replica before they meet 452s. Liveness stays UP: a
 * full disk is not cured by a restart. (The disk is "full" because the threshold is set above the
 * free space there is.)
 */
@TestPropertySource(properties = "postern.health.spool-min-free-space=1000000TB")
class FullSpoolReadinessScenarioTest extends PosternTest {

    @LocalServerPort
    int port;

    @Test
    void notReadyWhenFreeSpaceIsBelowTheThreshold() throws Exception {
        HealthProbe.Answer readiness = HealthProbe.readiness(port);
        assertThat(readiness.httpStatus()).as("%s", readiness).isEqualTo(503);
        assertThat(readiness.status()).isEqualTo("DOWN");
        var spool = readiness.component("spool");
        assertThat(spool.path("status").asString()).isEqualTo("DOWN");
        assertThat(spool.path("details").path("writable").asBoolean()).isTrue();
        assertThat(spool.path("details").path("threshold").asLong()).isEqualTo(1_000_000L * 1024 * 1024 * 1024 * 1024);
        assertThat(spool.path("details").path("free").asLong())
                .isLessThan(spool.path("details").path("threshold").asLong());
        assertThat(spool.path("details").path("reason").asString()).contains("below the threshold");
        // The other readiness checks are fine: only the spool holds it back.
        assertThat(readiness.component("readinessState").path("status").asString()).isEqualTo("UP");
        assertThat(readiness.component("drain").path("status").asString()).isEqualTo("UP");

        HealthProbe.Answer liveness = HealthProbe.liveness(port);
        assertThat(liveness.httpStatus()).isEqualTo(200);
        assertThat(liveness.status()).isEqualTo("UP");
    }
}
