package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.HealthProbe;
import org.postern.testing.PosternTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Kubernetes probe asks {@code /actuator/health/readiness} and {@code /actuator/health/liveness}
 * over HTTP: a relay with a writable, roomy spool is ready (spool and drain UP, with their details);
 * when the spool directory stops being writable, readiness goes DOWN (503) while liveness stays UP,
 * and comes back when it is writable again. The queue indicator shows the backlog on the full health
 * page but is in neither probe group.
 */
class ReadinessScenarioTest extends PosternTest {

    @LocalServerPort
    int port;

    @Test
    void readyWithAWritableRoomySpool() throws Exception {
        send("app@example.org", List.of("user@example.net"), "Subject: queued\r\n\r\nbody\r\n");

        HealthProbe.Answer readiness = HealthProbe.readiness(port);
        assertThat(readiness.httpStatus()).as("%s", readiness).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo("UP");
        assertThat(readiness.body().path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "spool", "drain");
        assertThat(readiness.component("spool").path("details").path("writable").asBoolean()).isTrue();
        assertThat(readiness.component("spool").path("details").path("free").asLong())
                .isGreaterThan(readiness.component("spool").path("details").path("threshold").asLong());
        assertThat(readiness.component("spool").path("details").path("threshold").asLong())
                .isEqualTo(100L * 1024 * 1024);
        assertThat(readiness.component("drain").path("details").path("phase").asString()).isEqualTo("serving");

        HealthProbe.Answer liveness = HealthProbe.liveness(port);
        assertThat(liveness.httpStatus()).isEqualTo(200);
        assertThat(liveness.body().path("components").propertyNames()).containsExactly("livenessState");

        // The message waits for its unreachable next hop: the queue indicator counts it, UP, no warning.
        HealthProbe.Answer all = HealthProbe.get(port, "/actuator/health");
        assertThat(all.component("queue").path("status").asString()).isEqualTo("UP");
        var queue = all.component("queue").path("details");
        assertThat(queue.path("active").asInt() + queue.path("waiting").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(queue.has("warning")).isFalse();
    }

    @Test
    void notReadyWhileTheSpoolIsNotWritable() throws Exception {
        // root passes access(2) whatever the permissions: chmod proves nothing then.
        assumeTrue(!"root".equals(System.getProperty("user.name")) && !isRoot(), "running as root");
        Path tmp = spool.directory().resolve("tmp");
        var before = Files.getPosixFilePermissions(tmp);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            HealthProbe.Answer readiness = HealthProbe.readiness(port);
            assertThat(readiness.httpStatus()).as("%s", readiness).isEqualTo(503);
            assertThat(readiness.status()).isEqualTo("DOWN");
            assertThat(readiness.component("spool").path("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.component("spool").path("details").path("reason").asString())
                    .isEqualTo("tmp/ is not writable");
            assertThat(HealthProbe.liveness(port).httpStatus()).isEqualTo(200);
        } finally {
            Files.setPosixFilePermissions(tmp, before);
        }
        assertThat(HealthProbe.readiness(port).httpStatus()).isEqualTo(200);
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
