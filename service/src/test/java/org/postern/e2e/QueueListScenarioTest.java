package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestMailReceiver;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An operator looks at the queue over HTTP ({@code mailq}): five messages, four deferred by one next
 * hop (one of them put on hold) and one stuck in an attempt to a next hop that hangs. The listing
 * pages through them in arrival order and filters them by state and by destination (recipient
 * domain, route host, destination name); one message is shown with its envelope and DSN
 * parameters; a message whose attempt is running cannot be deleted or bounced.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "postern.queue.min-backoff=1h",
        "postern.queue.max-backoff=1h",
        "postern.timeouts.mail=2m",
        "postern.queue-endpoint.write-enabled=true",
})
class QueueListScenarioTest extends PosternTest {

    static final TestMailReceiver deferring = TestMailReceiver.unchecked()
            .onRcpt(rcpt -> "451 4.3.0 try again later");
    static final TestMailReceiver hanging = TestMailReceiver.unchecked("127.0.0.2").hangAfterMail();

    @LocalServerPort
    int httpPort;

    @DynamicPropertySource
    static void routing(DynamicPropertyRegistry registry) {
        registry.add("postern.routing.domains.[defer.test]", deferring::smartHost);
        registry.add("postern.routing.domains.[other.test]", deferring::smartHost);
        registry.add("postern.routing.domains.[hang.test]", hanging::smartHost);
    }

    @AfterAll
    static void closeReceivers() throws Exception {
        deferring.close();
        hanging.close(); // ends the hanging attempt before the application stops
    }

    @Test
    void listsPagesFiltersAndShowsTheQueue() throws Exception {
        QueueApi api = new QueueApi(httpPort);
        Instant before = Instant.now();
        String m1 = send("one@example.org", List.of("a@defer.test"), "Subject: 1\r\n\r\nbody\r\n");
        String m2;
        try (SmtpTestClient client = connectEhlo()) {
            assertThat(client.command("MAIL FROM:<two@example.org> RET=HDRS ENVID=env-2").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<b@defer.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@defer.test")
                    .code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<c@other.test>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send("Subject: 2\r\n\r\nbody\r\n.\r\n");
            SmtpTestClient.Reply queued = client.read();
            assertThat(queued.code()).isEqualTo(250);
            m2 = SmtpTestClient.queueId(queued);
        }
        String m3 = send("three@example.org", List.of("d@other.test"), "Subject: 3\r\n\r\nbody\r\n");
        String m4 = send("four@example.org", List.of("e@hang.test"), "Subject: 4\r\n\r\nbody\r\n");
        String m5 = send("five@example.org", List.of("f@defer.test"), "Subject: 5\r\n\r\nbody\r\n");
        for (String id : List.of(m1, m2, m3, m5)) {
            awaitAttempts(id, 1, Duration.ofSeconds(20));
        }
        TestMailReceiver.await(Duration.ofSeconds(20), () -> hanging.commands().stream()
                .anyMatch(c -> c.startsWith("MAIL")), "the attempt to the hanging next hop");
        assertThat(api.action(m3, "hold").status()).isEqualTo(200);

        // Everything, in arrival order, each in its state.
        QueueApi.Response all = api.get("");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.ids()).containsExactly(m1, m2, m3, m4, m5);
        assertThat(all.json().path("total").asInt()).isEqualTo(5);
        assertThat(all.json().path("offset").asInt()).isZero();
        assertThat(all.json().path("limit").asInt()).isEqualTo(100);
        assertThat(states(all)).containsExactly("waiting", "waiting", "held", "active", "waiting");
        JsonNode second = all.json().path("messages").get(1);
        assertThat(second.path("sender").asString()).isEqualTo("two@example.org");
        assertThat(second.path("recipients").asInt()).isEqualTo(2);
        assertThat(second.path("pending").asInt()).isEqualTo(2);
        assertThat(second.path("attempts").asInt()).isEqualTo(1);
        assertThat(second.path("size").asLong()).isGreaterThan(20);
        assertThat(Instant.parse(second.path("arrival").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(Instant.parse(second.path("nextAttempt").asString()))
                .isAfter(Instant.now().plus(Duration.ofMinutes(20)));
        assertThat(second.path("lastError").asString()).contains("451 4.3.0 try again later");
        assertThat(all.json().path("messages").get(2).path("nextAttempt").isNull()).isTrue(); // held
        assertThat(all.json().path("messages").get(3).path("nextAttempt").isNull()).isTrue(); // active

        // Paging.
        QueueApi.Response page = api.get("?offset=1&limit=2");
        assertThat(page.ids()).containsExactly(m2, m3);
        assertThat(page.json().path("total").asInt()).isEqualTo(5);
        assertThat(page.json().path("offset").asInt()).isEqualTo(1);
        assertThat(api.get("?offset=4&limit=2").ids()).containsExactly(m5);
        assertThat(api.get("?offset=9").ids()).isEmpty();
        assertThat(api.get("?limit=5000").json().path("limit").asInt()).isEqualTo(1000);
        assertThat(api.get("?limit=0").status()).isEqualTo(400);
        assertThat(api.get("?offset=-1").status()).isEqualTo(400);

        // By state.
        assertThat(api.get("?state=waiting").ids()).containsExactly(m1, m2, m5);
        assertThat(api.get("?state=deferred").ids()).containsExactly(m1, m2, m5);
        assertThat(api.get("?state=held").ids()).containsExactly(m3);
        assertThat(api.get("?state=active").ids()).containsExactly(m4);
        assertThat(api.get("?state=lost").status()).isEqualTo(400);

        // By destination: a recipient domain, a route's host, a destination as logged; with a state.
        assertThat(api.get("?destination=other.test").ids()).containsExactly(m2, m3);
        assertThat(api.get("?destination=OTHER.test").json().path("total").asInt()).isEqualTo(2);
        assertThat(api.get("?destination=127.0.0.2").ids()).containsExactly(m4);
        assertThat(api.get("?destination=%5B127.0.0.1%5D").ids()).containsExactly(m1, m2, m3, m5);
        assertThat(api.get("?destination=esmtp:%5B127.0.0.2%5D:" + hanging.port()).ids()).containsExactly(m4);
        assertThat(api.get("?destination=defer.test&state=waiting").ids()).containsExactly(m1, m2, m5);
        assertThat(api.get("?destination=other.test&state=waiting&limit=1").json().path("total").asInt())
                .isEqualTo(1);
        assertThat(api.get("?destination=nowhere.test").ids()).isEmpty();

        // One message: envelope, DSN parameters, per-recipient state and last error.
        QueueApi.Response shown = api.show(m2);
        assertThat(shown.status()).isEqualTo(200);
        JsonNode m = shown.json();
        assertThat(m.path("queueId").asString()).isEqualTo(m2);
        assertThat(m.path("state").asString()).isEqualTo("waiting");
        assertThat(m.path("held").asBoolean()).isFalse();
        assertThat(m.path("sender").asString()).isEqualTo("two@example.org");
        assertThat(m.path("ret").asString()).isEqualTo("HDRS");
        assertThat(m.path("envId").asString()).isEqualTo("env-2");
        assertThat(m.path("attempts").asInt()).isEqualTo(1);
        assertThat(m.path("nextAttempt").isNull()).isFalse();
        assertThat(Duration.between(Instant.parse(m.path("arrival").asString()),
                Instant.parse(m.path("expires").asString()))).isEqualTo(Duration.ofDays(5));
        assertThat(m.path("origin").path("helo").asString()).isEqualTo("client.test");
        assertThat(m.path("origin").path("clientAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(m.path("origin").path("protocol").asString()).isEqualTo("ESMTP");
        JsonNode b = m.path("recipients").get(0);
        assertThat(b.path("address").asString()).isEqualTo("b@defer.test");
        assertThat(b.path("dsnNotify").values()).extracting(JsonNode::asString).containsExactly("SUCCESS", "FAILURE");
        assertThat(b.path("orcpt").asString()).isEqualTo("rfc822;b@defer.test");
        assertThat(b.path("state").asString()).isEqualTo("pending");
        assertThat(b.path("action").asString()).isEqualTo("delayed");
        assertThat(b.path("status").asString()).isEqualTo("4.3.0");
        assertThat(b.path("remoteMta").asString()).isEqualTo("127.0.0.1");
        assertThat(b.path("reply").asString()).contains("451 4.3.0 try again later");
        JsonNode c = m.path("recipients").get(1);
        assertThat(c.path("address").asString()).isEqualTo("c@other.test");
        assertThat(c.path("dsnNotify").values()).isEmpty();
        assertThat(c.path("orcpt").isNull()).isTrue();

        JsonNode held = api.show(m3).json();
        assertThat(held.path("state").asString()).isEqualTo("held");
        assertThat(held.path("held").asBoolean()).isTrue();
        assertThat(held.path("heldSince").isNull()).isFalse();
        assertThat(held.path("nextAttempt").isNull()).isTrue();
        assertThat(api.show(m4).json().path("state").asString()).isEqualTo("active");
        assertThat(api.show("NOSUCHMESSAGE").status()).isEqualTo(404);

        // A message in an attempt cannot be deleted or bounced meanwhile.
        QueueApi.Response busy = api.delete("/" + m4);
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().path("error").asString()).contains("in progress");
        assertThat(api.action(m4, "bounce").status()).isEqualTo(409);
        assertThat(queued()).contains(m4);
        for (String unknown : List.of("NOSUCHMESSAGE", "not.a.queue.id")) {
            assertThat(api.delete("/" + unknown).status()).isEqualTo(404);
            assertThat(api.action(unknown, "bounce").status()).isEqualTo(404);
            assertThat(api.action(unknown, "hold").status()).isEqualTo(404);
        }
        assertThat(api.get("?state=active").ids()).containsExactly(m4); // nothing left claimed
        assertThat(api.action(m1, "explode").status()).isEqualTo(400);
        assertThat(api.post("", "{\"action\":\"hold\"}").status()).isEqualTo(400);
    }

    private static List<String> states(QueueApi.Response listing) {
        return listing.json().path("messages").values().stream().map(n -> n.path("state").asString()).toList();
    }
}
