package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With the default configuration the queue endpoint only reads: listing and showing work, and
 * every change (flush, hold, release, bounce, delete) is refused with 403 naming the property that
 * enables it, leaving the message as it was.
 */
@DirtiesContext
@TestPropertySource(properties = "postern.queue.min-backoff=1h")
class QueueWritesDisabledScenarioTest extends PosternTest {

    @LocalServerPort
    int httpPort;

    @Test
    void writeOperationsAreRefusedUnlessEnabled() throws Exception {
        QueueApi api = new QueueApi(httpPort);
        String id = send("app@example.org", List.of("someone@example.net"), "Subject: stay\r\n\r\nbody\r\n");
        awaitAttempts(id, 1, Duration.ofSeconds(20)); // the default smart host is [127.0.0.1]:1: deferred

        assertThat(api.get("").status()).isEqualTo(200);
        assertThat(api.get("").ids()).containsExactly(id);
        assertThat(api.show(id).status()).isEqualTo(200);

        List<QueueApi.Response> refused = List.of(api.flush(), api.flush("example.net"), api.action(id, "flush"),
                api.action(id, "hold"), api.action(id, "release"), api.action(id, "bounce"), api.delete("/" + id));
        for (QueueApi.Response r : refused) {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.json().path("error").asString()).contains("postern.queue-endpoint.write-enabled=true");
        }
        assertThat(queued()).containsExactly(id);
        var message = spool.read(id);
        assertThat(message.held()).isFalse();
        assertThat(message.states()).containsExactly(org.postern.spool.RecipientState.PENDING);
        assertThat(message.schedule().attempts()).isEqualTo(1);
        assertThat(api.show(id).json().path("state").asString()).isEqualTo("waiting");
    }
}
