package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;

/**
 * The production setting: only the embedded {@code optional:configserver:} import, pointed at the
 * server by {@code spring.cloud.config.uri}. The relay takes its routes from the server, and a
 * refresh while the server is down changes nothing: the values fetched before stay in effect
 * (they are not replaced by the embedded defaults).
 */
class ConfigServerDownScenarioTest {

    @Test
    void aRefreshWhileTheServerIsDownKeepsTheRunningConfiguration() throws Exception {
        try (TestMailReceiver receiver = new TestMailReceiver();
                ConfigServedRelay relay = ConfigServedRelay.start("""
                        postern:
                          routing:
                            smart-host: "%s"
                        """.formatted(receiver.smartHost()), false)) {
            relay.server().close();
            assertThat(relay.refresh()).isEqualTo("[]");

            try (SmtpTestClient client = relay.connectFrom("127.0.0.1")) {
                client.greeting();
                client.ehlo("app.test");
                assertReply(client.sendMessage("app@example.com", List.of("someone@example.net"),
                        "Subject: after the server went away\r\n\r\nbody\r\n"), 250, "2.0.0");
            }
            TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
            assertThat(relay.context().getBean(RuntimeConfigurationHolder.class).get().generation()).isEqualTo(1);
            assertThat(relay.metric("postern_config_refresh_total", "outcome=\"refused\"")).isZero();
        }
    }
}
