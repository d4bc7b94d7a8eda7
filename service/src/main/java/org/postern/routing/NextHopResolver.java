package org.postern.routing;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postern.dns.AddressLiteral;
import org.postern.dns.DnsLookupException;
import org.postern.dns.MailExchanger;
import org.postern.dns.MailResolver;
import org.postern.smtp.AddressFamily;

/**
 * Turns a {@link Route.Relay} into the ordered list of addresses to try: MX hosts in MX order
 * (equal preferences already shuffled by the resolver), each host's addresses with the preferred
 * family first, only families the client may use, each address once.
 *
 * <p>Which failure means what:
 * <ul>
 * <li>The recipient's domain does not exist (5.1.2) or has a null MX (5.1.10): permanent, from the
 *     resolver.</li>
 * <li>A host configured by the operator (a mailertable or smart-host route) that does not
 *     resolve: temporary 4.4.4. An operator's typo must hold mail in the queue until it is fixed,
 *     not bounce everything routed that way; it is logged as a warning.</li>
 * <li>No MX host has an address: temporary if any lookup failed temporarily (4.4.3), else permanent:
 *     5.4.4 for MX hosts without addresses, the resolver's 5.1.2 for a domain without MX that has no
 *     address either (nothing there accepts mail).</li>
 * <li>Addresses exist but none in an allowed family: temporary 4.4.4, since it is our client
 *     configuration (or the next hop's missing address family) that blocks delivery, and either
 *     can change; the queue lifetime still bounds the wait.</li>
 * </ul>
 * Thread-safe when the resolver is.
 */
public final class NextHopResolver {

    private static final System.Logger LOG = System.getLogger(NextHopResolver.class.getName());

    private final MailResolver dns;
    private final int defaultPort;
    private final AddressFamily preferred;
    private final Set<AddressFamily> allowed;

    /**
     * @param defaultPort the port when a route names none (25 for SMTP)
     * @param preferred   the family tried first within each host; null keeps the resolver's order
     * @param allowed     the families the client may connect with (from ClientPortOptions)
     */
    public NextHopResolver(MailResolver dns, int defaultPort, AddressFamily preferred, Set<AddressFamily> allowed) {
        this.dns = Objects.requireNonNull(dns, "dns");
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("default port out of range: " + defaultPort);
        }
        this.defaultPort = defaultPort;
        if (allowed == null || allowed.isEmpty()) {
            throw new IllegalArgumentException("no address family allowed");
        }
        this.allowed = Set.copyOf(EnumSet.copyOf(allowed));
        if (preferred != null && !allowed.contains(preferred)) {
            throw new IllegalArgumentException("preferred family " + preferred.sendmailName() + " is not allowed");
        }
        this.preferred = preferred;
    }

    /**
     * @param recipientDomain the domain of the recipients on this route, used when the route names
     *                        no host
     * @return at least one next hop, in the order to try
     */
    public List<NextHop> resolve(Route.Relay route, String recipientDomain) throws DnsLookupException {
        boolean configured = route.host() != null;
        String target = configured ? route.host() : Objects.requireNonNull(recipientDomain, "recipientDomain");
        int port = route.port() == 0 ? defaultPort : route.port();

        Optional<InetAddress> literal = AddressLiteral.parse(target);
        if (literal.isPresent()) {
            if (!allowed.contains(AddressFamily.of(literal.get()))) {
                throw noAllowedFamily();
            }
            return List.of(new NextHop(target, literal.get(), port, 0));
        }

        List<MailExchanger> exchangers;
        if (route.mxLookup()) {
            try {
                exchangers = dns.mailExchangers(target);
            } catch (DnsLookupException e) {
                throw configured ? configuredHostFailure(route, e) : e;
            }
        } else {
            exchangers = List.of(new MailExchanger(target, 0, true));
        }

        List<NextHop> hops = new ArrayList<>();
        Set<InetAddress> seen = new HashSet<>();
        boolean anyAddress = false;
        DnsLookupException temporary = null;
        DnsLookupException permanent = null;
        for (MailExchanger mx : exchangers) {
            List<InetAddress> addresses;
            try {
                addresses = dns.addresses(mx.host());
            } catch (DnsLookupException e) {
                if (e.permanent()) {
                    permanent = e;
                } else {
                    temporary = e;
                }
                continue;
            }
            anyAddress |= !addresses.isEmpty();
            for (InetAddress address : ordered(addresses)) {
                if (seen.add(address)) {
                    hops.add(new NextHop(mx.host(), address, port, mx.preference()));
                }
            }
        }
        if (!hops.isEmpty()) {
            return List.copyOf(hops);
        }
        if (anyAddress) {
            throw noAllowedFamily();
        }
        if (temporary != null) {
            throw temporary;
        }
        if (configured) {
            throw configuredHostFailure(route, permanent);
        }
        if (exchangers.size() == 1 && exchangers.get(0).implicit() && permanent != null) {
            throw permanent; // no MX and no address: the domain has nowhere to take mail
        }
        throw DnsLookupException.permanent("5.4.4", "No address found for any mail exchanger of the domain");
    }

    /** Allowed families only; the preferred one first, otherwise the resolver's order kept. */
    private List<InetAddress> ordered(List<InetAddress> addresses) {
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> rest = new ArrayList<>();
        for (InetAddress address : addresses) {
            AddressFamily family = AddressFamily.of(address);
            if (allowed.contains(family)) {
                (preferred == null || family == preferred ? first : rest).add(address);
            }
        }
        first.addAll(rest);
        return first;
    }

    private static DnsLookupException noAllowedFamily() {
        return DnsLookupException.temporary("4.4.4", "No address in an allowed address family, will retry");
    }

    private static DnsLookupException configuredHostFailure(Route.Relay route, DnsLookupException e) {
        if (!e.permanent()) {
            return e;
        }
        // Logged, not shown: the configured host is internal detail.
        LOG.log(Level.WARNING, "Route {0} does not resolve ({1} {2}); mail stays queued until the route is fixed",
                route, e.enhancedStatus(), e.getMessage());
        return DnsLookupException.temporary("4.4.4", "Configured relay host not found, will retry");
    }
}
