package org.postern.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.smtp.SmtpReply;

/** Route precedence: mailertable, then smart host, then MX; address literals. */
class RouterTest {

    private final Route internal = new Route.Relay("esmtp", "mx.internal.test", 0, false);
    private final Route closed = new Route.Error(SmtpReply.of(550, "5.7.1", "closed"));
    private final Route smart = new Route.Relay("relay", "smart.example.net", 587, false);
    private final DomainTable<Route> table = new DomainTable<>(Map.of(
            ".internal.test", internal, "closed.test", closed, "dropped.test", new Route.Discard()));

    @Test
    void theMailertableComesFirst() {
        Router router = new Router(table, smart);
        assertThat(router.route("a.internal.test")).isEqualTo(internal);
        assertThat(router.route("Closed.Test")).isEqualTo(closed);
        assertThat(router.route("dropped.test")).isEqualTo(new Route.Discard());
    }

    @Test
    void thenTheSmartHost() {
        assertThat(new Router(table, smart).route("elsewhere.example")).isEqualTo(smart);
    }

    @Test
    void elseDirectByMxThroughEsmtp() {
        assertThat(new Router(table, null).route("elsewhere.example")).isEqualTo(new Route.Relay("esmtp", null, 0, true));
        assertThat(new Router(DomainTable.empty(), null).route("internal.test")).isEqualTo(new Route.Relay("esmtp", null, 0, true));
    }

    @Test
    void addressLiteralsGoStraightToTheAddressUnlessASmartHostTakesAll() {
        Router direct = new Router(table, null);
        assertThat(direct.route("[127.0.0.1]")).isEqualTo(new Route.Relay("esmtp", "127.0.0.1", 0, false));
        assertThat(direct.route("[IPv6:::1]")).isEqualTo(new Route.Relay("esmtp", "::1", 0, false));
        assertThat(new Router(table, smart).route("[127.0.0.1]")).isEqualTo(smart);
        Router catchAll = new Router(new DomainTable<>(Map.of(".", internal)), null);
        assertThat(catchAll.route("[127.0.0.1]")).isEqualTo(internal);
    }
}
