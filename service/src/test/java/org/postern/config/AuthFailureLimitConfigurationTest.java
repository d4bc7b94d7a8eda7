package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.policy.AuthFailureLimiter;
import org.postern.testing.TestStartup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code postern.auth.max-failures} and {@code failure-window}: defaults 5 and 5m reach the limiter,
 * other values are taken, and a limit below 1 or a window that is not positive fails startup naming
 * the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthFailureLimitConfigurationTest {

    @TempDir
    Path spool;

    @Test
    void defaultsAndOverridesReachTheLimiter() {
        try (ConfigurableApplicationContext context = TestStartup.start(spool)) {
            AuthFailureLimiter limiter = context.getBean(AuthFailureLimiter.class);
            assertThat(limiter.maxFailures()).isEqualTo(5);
            assertThat(limiter.window()).isEqualTo(Duration.ofMinutes(5));
        }
        try (ConfigurableApplicationContext context = TestStartup.start(spool, "postern.auth.max-failures=12",
                "postern.auth.failure-window=1h")) {
            AuthFailureLimiter limiter = context.getBean(AuthFailureLimiter.class);
            assertThat(limiter.maxFailures()).isEqualTo(12);
            assertThat(limiter.window()).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void aLimitBelowOneFails(CapturedOutput output) {
        assertThat(TestStartup.failure(output, spool, "postern.auth.max-failures=0"))
                .containsAnyOf("postern.auth.max-failures", "postern.auth.maxFailures");
    }

    @Test
    void aWindowThatIsNotPositiveFails(CapturedOutput output) {
        assertThat(TestStartup.failure(output, spool, "postern.auth.failure-window=0s"))
                .contains("postern.auth.failure-window must be positive");
    }
}
