package org.postern.queue;

import java.util.Locale;
import org.postern.mailer.MailerDefinition;
import org.postern.routing.Route;

/**
 * Where a group of recipients goes: a mailer and a next hop. Recipients with equal destinations
 * share a transaction (mailer flag {@code m}), a connection and a concurrency limit. For mail sent
 * straight to MX hosts the destination is the recipient domain, as in Postfix, so one slow domain
 * does not hold up the others.
 *
 * @param mailer the mailer definition
 * @param route  the relay route; its host is null when the recipient domain's MX hosts are used
 * @param domain the recipient domain (lower case); part of the key only when the route has no host
 */
public record Destination(MailerDefinition mailer, Route.Relay route, String domain) {

    /** The recipient domain when routing by MX, else the route's host: what DNS and TLS policy look at. */
    public String nextHopName() {
        return route.host() == null ? domain : route.host();
    }

    /** Whether the next hop was configured (a route or the smart host), not derived from a recipient. */
    public boolean configured() {
        return route.host() != null;
    }

    public int port() {
        return route.port() > 0 ? route.port() : mailer.port();
    }

    /** A short name for logs: {@code esmtp:example.org} or {@code relay:[smtp.example.net]:587}. */
    @Override
    public String toString() {
        String host = route.host() == null ? domain : route.mxLookup() ? route.host() : "[" + route.host() + "]";
        return mailer.name() + ":" + host + (route.port() > 0 ? ":" + route.port() : "");
    }

    static Destination of(MailerDefinition mailer, Route.Relay route, String recipientDomain) {
        String domain = route.host() == null && recipientDomain != null ? recipientDomain.toLowerCase(Locale.ROOT) : null;
        return new Destination(mailer, route, domain);
    }
}
