package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.PosternApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Bad {@code postern.drain.*} and {@code postern.health.*} values fail startup, naming the property. */
class DrainConfigurationFailureTest {

    @TempDir
    Path spool;

    private String startupFailure(String override) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(PosternApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--spring.main.register-shutdown-hook=false", "--postern.hostname=relay.test",
                "--postern.daemon-ports[0].addr=127.0.0.1", "--postern.daemon-ports[0].port=0",
                "--postern.spool.directory=" + spool, "--" + override).close());
        assertThat(failure).as("startup with %s", override).isNotNull();
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Test
    void handoffThatIsNotAPeerFails() {
        assertThat(startupFailure("postern.drain.handoff=discard:"))
                .contains("postern.drain.handoff: 'discard:' does not name a peer relay");
    }

    @Test
    void handoffThroughAnUnknownMailerFails() {
        assertThat(startupFailure("postern.drain.handoff=nosuch:[127.0.0.1]:2525"))
                .contains("postern.drain.handoff: no mailer named 'nosuch'");
    }

    @Test
    void negativeDrainTimeoutFails() {
        assertThat(startupFailure("postern.drain.timeout=-5s")).contains("postern.drain.timeout must not be negative");
    }

    @Test
    void negativeSpoolThresholdFails() {
        assertThat(startupFailure("postern.health.spool-min-free-space=-1MB"))
                .contains("postern.health.spool-min-free-space must not be negative");
    }

    @Test
    void unknownKeyUnderHealthFails() {
        assertThat(startupFailure("postern.health.spool-min-free=1GB")).contains("postern.health.spool-min-free");
    }
}
