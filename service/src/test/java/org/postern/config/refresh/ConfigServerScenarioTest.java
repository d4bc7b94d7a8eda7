package org.postern.config.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.core.env.PropertySource;

/**
 * A real Spring Cloud Config Server (native profile) serves the project's {@code config/} to the
 * relay, with a test profile file that routes mail to a receiver on loopback: the relay takes its
 * routes and its own name from the server, and relays a message to the smart host it was given.
 */
class ConfigServerScenarioTest {

    @Test
    void relaysToTheSmartHostTheConfigServerGave() throws Exception {
        try (TestMailReceiver receiver = new TestMailReceiver();
                ConfigServedRelay relay = ConfigServedRelay.start("""
                        postern:
                          routing:
                            smart-host: "%s"
                        """.formatted(receiver.smartHost()))) {
            // Both files came from the server: postern.yml and the profile laid over it.
            List<String> sources = StreamSupport.stream(relay.context().getEnvironment().getPropertySources()
                    .spliterator(), false).map(PropertySource::getName).toList();
            assertThat(sources).anySatisfy(name -> assertThat(name).startsWith("configserver:")
                    .endsWith(ConfigServedRelay.PROFILE_FILE));
            assertThat(sources).anySatisfy(name -> assertThat(name).startsWith("configserver:")
                    .endsWith("/postern.yml"));

            try (SmtpTestClient client = relay.connectFrom("127.0.0.1")) {
                assertThat(client.greeting().text()).startsWith("relay.example.com"); // hostname from config/postern.yml
                client.ehlo("app.test");
                assertThat(client.sendMessage("app@example.com", List.of("someone@example.net"),
                        "Subject: from the config server's route\r\n\r\nbody\r\n").code()).isEqualTo(250);
            }
            TestMailReceiver.await(Duration.ofSeconds(20), () -> receiver.messages().size() == 1, "delivery");
            TestMailReceiver.Message m = receiver.messages().get(0);
            assertThat(m.rcptTo()).containsExactly("someone@example.net");
            assertThat(m.text()).contains("by relay.example.com").contains("Subject: from the config server's route");
        }
    }
}
