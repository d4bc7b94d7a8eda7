package org.postern.queue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.postern.mailer.MailerDefinition;
import org.postern.routing.Route;
import org.postern.smtp.IpLiteral;

/**
 * Where a group of recipients goes: a mailer and a next hop. Recipients with equal destinations
 * share a transaction (mailer flag {@code m}), a connection and a concurrency limit. For mail sent
 * straight to MX hosts the destination is the recipient domain, as in Postfix, so one slow domain
 * does not hold up the others.
 *
 * @param mailer the mailer definition
 * @param route  the relay route; its host is null when the recipient domain's MX hosts are used
 * @param domain the recipient domain (lower case); part of the key only when the route has no host
 * @param source the local address to send from (DaemonPortOptions modifier {@code b}: where the mail
 *               came in), or null for the ClientPortOptions source. Part of the key, so mail that
 *               came in on different addresses never shares a connection
 */
public record Destination(MailerDefinition mailer, Route.Relay route, String domain, InetAddress source) {
    private static final System.Logger LOG = System.getLogger(Destination.class.getName());

    public Destination(MailerDefinition mailer, Route.Relay route, String domain) {
        this(mailer, route, domain, null);
    }

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
        return mailer.name() + ":" + host + (route.port() > 0 ? ":" + route.port() : "")
                + (source == null ? "" : " from [" + source.getHostAddress() + "]");
    }

    static Destination of(MailerDefinition mailer, Route.Relay route, String recipientDomain) {
        return of(mailer, route, recipientDomain, null);
    }

    /** @param sourceAddress the envelope's source address (modifier {@code b}) as spooled, or null */
    static Destination of(MailerDefinition mailer, Route.Relay route, String recipientDomain, String sourceAddress) {
        String domain = route.host() == null && recipientDomain != null ? recipientDomain.toLowerCase(Locale.ROOT) : null;
        return new Destination(mailer, route, domain, source(sourceAddress));
    }

    /** The spooled source address, or null (with a warning) if it is not an address: then the default source. */
    private static InetAddress source(String text) {
        if (text == null) {
            return null;
        }
        try {
            // An IPv6 literal may carry a scope (fe80::1%eth0), which IpLiteral does not take; with a
            // colon, getByName parses and never looks up.
            return text.indexOf(':') >= 0 ? InetAddress.getByName(text) : IpLiteral.parse(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "spooled source address {0} is not usable; sending from the "
                    + "default source", text);
            return null;
        }
    }
}
