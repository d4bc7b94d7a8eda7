package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.PosternTest;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * DaemonPortOptions modifier {@code A} overrides {@code a}: a listener with both offers no AUTH and
 * takes MAIL without it, while a listener with {@code a} alone still demands it.
 */
@TestPropertySource(properties = "postern.auth.allow-without-tls=true")
class AuthModifierOverrideScenarioTest extends PosternTest {

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        registry.add("postern.auth.users.alice", () -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode("secret"));
        String[][] listeners = {{"MTA", ""}, {"BOTH", "aA"}, {"MSA", "a"}};
        for (int i = 0; i < listeners.length; i++) {
            String key = "postern.daemon-ports[" + i + "].";
            String[] l = listeners[i];
            registry.add(key + "name", () -> l[0]);
            registry.add(key + "addr", () -> "127.0.0.1");
            registry.add(key + "port", () -> 0);
            registry.add(key + "modifiers", () -> l[1]);
        }
    }

    @Test
    void noAuthOverridesRequireAuth() throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("BOTH"))) {
            client.greeting();
            Reply ehlo = client.ehlo("client.test");
            assertThat(ehlo.lines()).noneMatch(l -> l.startsWith("AUTH"));
            assertThat(client.command("MAIL FROM:<app@example.org>").code()).isEqualTo(250);
        }
        try (SmtpTestClient client = SmtpTestClient.connect(smtpServer.localPort("MSA"))) {
            client.greeting();
            assertThat(client.ehlo("client.test").lines()).contains("AUTH PLAIN LOGIN");
            assertThat(client.command("MAIL FROM:<app@example.org>").code()).isEqualTo(530);
        }
    }
}
