package org.postern.routing;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.postern.dns.AddressLiteral;

/**
 * Picks the route for a recipient domain, in sendmail's order: the mailertable
 * ({@code postern.routing.domains}), then the smart host ({@code postern.routing.smart-host}), then
 * direct delivery by MX through the {@code esmtp} mailer.
 *
 * <p>A recipient domain that is an address literal ({@code user@[127.0.0.1]}) matches only the
 * mailertable's {@code .} catch-all; like sendmail, a smart host still takes it (SMART_HOST applies
 * to "bracketed addresses" too, so a site that must relay everything does); otherwise it goes straight
 * to that address, without DNS.
 */
public final class Router {

    /** The mailer of direct delivery, as sendmail's default. */
    /** Mail without a route goes to the recipient domain's MX hosts through this mailer. */
    public static final String DEFAULT_MAILER = org.postern.mailer.Mailers.DEFAULT;
    private static final Route.Relay DIRECT = new Route.Relay(DEFAULT_MAILER, null, 0, true);

    private final DomainTable<Route> domains;
    private final Route smartHost;

    /** @param smartHost null when there is none */
    public Router(DomainTable<Route> domains, Route smartHost) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.smartHost = smartHost;
    }

    public Route route(String recipientDomain) {
        Optional<Route> entry = domains.lookup(recipientDomain);
        if (entry.isPresent()) {
            return entry.get();
        }
        if (smartHost != null) {
            return smartHost;
        }
        if (AddressLiteral.isLiteral(recipientDomain) && recipientDomain.startsWith("[")) {
            String inside = recipientDomain.substring(1, recipientDomain.length() - 1);
            String address = inside.regionMatches(true, 0, "IPv6:", 0, 5) ? inside.substring(5) : inside;
            return new Route.Relay(DEFAULT_MAILER, address.toLowerCase(Locale.ROOT), 0, false);
        }
        return DIRECT;
    }
}
