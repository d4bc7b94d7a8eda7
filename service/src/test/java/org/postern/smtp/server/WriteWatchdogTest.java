package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The server's write watchdog keeps watching from its start until it is stopped. Its thread used to
 * be assigned after it was started, and a thread that ran at once saw no assignment and ended: in
 * about one test context in five, a client that never read its replies was never cut off.
 */
class WriteWatchdogTest {

    @Test
    void everyStartedWatchdogKeepsWatchingUntilStopped() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            WriteWatchdog watchdog = new WriteWatchdog(Set.of(), Duration.ofMillis(200));
            watchdog.start();
            Thread.sleep(0, 200_000); // long enough for a thread that saw no assignment to end
            assertThat(watchdog.isWatching()).as("watchdog %d after its start", i).isTrue();
            watchdog.stop();
        }
    }
}
