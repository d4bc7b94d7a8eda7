package org.postern.config;

import java.time.Duration;
import org.postern.mailer.Mailers;
import org.postern.routing.Route;
import org.postern.routing.RouteParser;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a stopping relay does before it exits (docs/operations.md): it stops taking mail, lets open
 * transactions finish, delivers what is due, hands what is left to a peer, then stops with the rest
 * in the spool.
 *
 * @param timeout how long the whole drain may take, handoff included; zero stops at once (the
 *                spool keeps everything)
 * @param handoff a peer relay that takes the queued mail at the end of the drain, written as a
 *                smart host: {@code host:port}, {@code [address]:port}, {@code [IPv6:::1]:port},
 *                optionally behind a mailer name ({@code esmtp:[10.0.0.7]:2525}); the host's own
 *                addresses are used, never its MX records. Empty for no handoff
 */
public record DrainProperties(
        @DefaultValue("30s") Duration timeout,
        String handoff) {

    public DrainProperties {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("postern.drain.timeout must not be negative");
        }
        handoff = handoff == null || handoff.isBlank() ? null : handoff.strip();
        if (handoff != null) {
            parseHandoff(handoff);
        }
    }

    /** The handoff peer as a route (mailer {@code relay} unless named; no MX lookup); null when none is set. */
    public Route.Relay handoffRoute() {
        return handoff == null ? null : parseHandoff(handoff);
    }

    private static Route.Relay parseHandoff(String spec) {
        Route route;
        try {
            route = RouteParser.parse(spec, Mailers.SMART_HOST_DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("postern.drain.handoff: " + e.getMessage(), e);
        }
        if (!(route instanceof Route.Relay relay) || relay.host() == null) {
            throw new IllegalArgumentException("postern.drain.handoff: '" + spec
                    + "' does not name a peer relay; write host:port or [address]:port");
        }
        // A peer is a host, not a mail domain: connect to its addresses, as [host] would.
        return new Route.Relay(relay.mailer(), relay.host(), relay.port(), false);
    }
}
