package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Header rules as the next hop sees them. One message goes to two domains routed through two
 * mailers: {@code esmtp} (flags {@code mDFMuXa}) adds the Date:, From: and Message-Id: the message
 * lacks, a mailer without D, F and M adds none. Both copies carry an operator's header built from
 * {@code ${daemon_name}}, {@code ${daemon_flags}} and {@code ${client_flags}}, and the operator's
 * Received: template, expanded at receipt.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.daemon-ports[0].modifiers=E",
        "postern.client-ports[0].family=inet",
        "postern.client-ports[0].modifiers=hA",
        "postern.mailers.bare.flags=mu",
        "postern.macros.Site=eu-1",
        "postern.headers[0]=H?${Site}?X-Postern-Site: ${Site} via ${daemon_name} (${daemon_flags})\\n\\tclient-flags=${client_flags} mailer=${rcpt_mailer} to $h",
        "postern.headers[1].name=Received",
        "postern.headers[1].template=from $s ($_)\\n\\tby $j with $r id $i on ${daemon_name}$?u\\n\\tfor $u$.;\\n\\t$b",
})
class HeaderRulesScenarioTest extends PosternTest {

    static final TestMailReceiver withDfm = TestMailReceiver.unchecked();
    static final TestMailReceiver without = TestMailReceiver.unchecked();

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[dfm.test]", () -> "esmtp:" + withDfm.smartHost());
        registry.add("postern.routing.domains.[bare.test]", () -> "bare:" + without.smartHost());
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        withDfm.close();
        without.close();
    }

    @Test
    void aMailerWithDfmGainsDateFromAndMessageIdAndOneWithoutDoesNot() throws Exception {
        String id = send("app@sender.test", List.of("a@dfm.test", "b@bare.test"),
                "Subject: header rules\r\n\r\nbody\r\n");
        TestMailReceiver.await(Duration.ofSeconds(20),
                () -> !withDfm.messagesFor("a@dfm.test").isEmpty() && !without.messagesFor("b@bare.test").isEmpty(),
                "both deliveries");
        awaitRemoved(id, Duration.ofSeconds(10));

        String dfm = withDfm.messagesFor("a@dfm.test").get(0).text();
        String bare = without.messagesFor("b@bare.test").get(0).text();
        assertThat(dfm).containsPattern("\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n")
                .contains("\r\nFrom: app@sender.test\r\n")
                .containsPattern("\r\nMessage-Id: <\\d{12}\\." + id + "@relay\\.test>\r\n");
        assertThat(bare).doesNotContain("\r\nDate:").doesNotContain("\r\nFrom:").doesNotContain("\r\nMessage-Id:");
        // The rest of the message is as it was sent, after the added fields.
        assertThat(dfm).endsWith("\r\nSubject: header rules\r\n\r\nbody\r\n");
        assertThat(bare).endsWith("\r\nSubject: header rules\r\n\r\nbody\r\n");

        // The operator's Received template, expanded at receipt: one Received, the first field.
        String received = "Received: from client.test ([127.0.0.1])\r\n\tby relay.test with ESMTP id " + id
                + " on MTA;\r\n\t";
        assertThat(dfm).startsWith(received);
        assertThat(bare).startsWith(received);
        assertThat(Pattern.compile("(?m)^Received:").matcher(dfm).results().count()).isEqualTo(1);
        // Added fields come after the trace fields.
        assertThat(dfm.indexOf("\r\nDate:")).isGreaterThan(dfm.indexOf("Received:"));

        // The configured header, per mailer and connection: the listener's name and modifiers, the
        // client port modifiers of the family used (h A, as ${client_flags} shows them).
        assertThat(dfm).contains("\r\nX-Postern-Site: eu-1 via MTA (EE)\r\n\tclient-flags=h AA mailer=esmtp to 127.0.0.1\r\n");
        assertThat(bare).contains("\r\nX-Postern-Site: eu-1 via MTA (EE)\r\n\tclient-flags=h AA mailer=bare to 127.0.0.1\r\n");
    }

    @Test
    void headersTheMessageHasAreNotAddedAgain() throws Exception {
        String sent = "Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nFrom: App <app@sender.test>\r\n"
                + "Message-Id: <own@sender.test>\r\nSubject: complete\r\n\r\nbody\r\n";
        String id = send("app@sender.test", List.of("c@dfm.test"), sent);
        TestMailReceiver.await(Duration.ofSeconds(20), () -> !withDfm.messagesFor("c@dfm.test").isEmpty(), "delivery");
        awaitRemoved(id, Duration.ofSeconds(10));
        String text = withDfm.messagesFor("c@dfm.test").get(0).text();
        assertThat(text).endsWith("\r\n" + sent);
        assertThat(Pattern.compile("(?m)^(Date|From|Message-Id):").matcher(text).results().count()).isEqualTo(3);
        // The single recipient is named in the Received header ($u at receipt).
        assertThat(text).contains("\r\n\tfor <c@dfm.test>;\r\n\t");
    }
}
