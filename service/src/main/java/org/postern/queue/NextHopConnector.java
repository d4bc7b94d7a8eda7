package org.postern.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.postern.dns.DnsLookupException;
import org.postern.maillog.MailLog;
import org.postern.routing.DomainTable;
import org.postern.routing.NextHop;
import org.postern.routing.NextHopResolver;
import org.postern.routing.Route;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.client.ClientCredentials;
import org.postern.smtp.client.ClientPort;
import org.postern.smtp.client.ConnectRequest;
import org.postern.smtp.client.SmtpClient;
import org.postern.smtp.client.SmtpClientException;
import org.postern.smtp.client.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an SMTP session to a destination: resolves its next hops (MX, then addresses) and tries
 * them in order, applying the TLS policy and AUTH credentials configured for it. Session-level
 * failures move on to the next address, as RFC 5321 §5 asks; only when all fail is the whole
 * destination (site) failed.
 */
final class NextHopConnector {
    private static final Logger log = LoggerFactory.getLogger(NextHopConnector.class);
    /** Addresses tried per connection attempt (Postfix's smtp_mx_address_limit). */
    static final int MAX_ADDRESSES = 5;

    private final NextHopResolver resolver;
    private final SmtpClient client;
    private final String heloName;
    private final TlsPolicy defaultTls;
    private final DomainTable<TlsPolicy> tlsPolicies;
    private final Map<String, RelayCredentials> credentials;
    private final Map<AddressFamily, ClientPort> clientPorts;
    private final Function<InetAddress, String> interfaceNames;

    /**
     * @param clientPorts    ClientPortOptions per family; a family without an entry uses the defaults
     * @param interfaceNames the qualified host name of a local address, or null (for modifier {@code h})
     */
    NextHopConnector(NextHopResolver resolver, SmtpClient client, String heloName, TlsPolicy defaultTls,
            DomainTable<TlsPolicy> tlsPolicies, Map<String, RelayCredentials> credentials,
            Map<AddressFamily, ClientPort> clientPorts, Function<InetAddress, String> interfaceNames) {
        this.clientPorts = Map.copyOf(clientPorts);
        this.interfaceNames = interfaceNames;
        this.resolver = resolver;
        this.client = client;
        this.heloName = heloName;
        this.defaultTls = defaultTls;
        this.tlsPolicies = tlsPolicies;
        this.credentials = credentials;
    }

    /** Our host name, {@code $j}. */
    String heloName() {
        return heloName;
    }

    TlsPolicy tlsPolicy(Destination destination) {
        return tlsPolicies.lookup(destination.nextHopName()).orElse(defaultTls);
    }

    PooledSession connect(Destination destination) throws ConnectFailure {
        List<NextHop> hops;
        try {
            // The mailer's port applies where the route names none (A=TCP $h port).
            Route.Relay route = destination.route();
            // Mailer flag 0: no MX lookup, the host's (or domain's) own addresses.
            Route.Relay withPort = new Route.Relay(route.mailer(), route.host(), destination.port(),
                    route.mxLookup() && !destination.mailer().hasFlag('0'));
            hops = resolver.resolve(withPort, destination.domain());
        } catch (DnsLookupException e) {
            DeliveryOutcome outcome = e.permanent()
                    ? new DeliveryOutcome.Failed(e.enhancedStatus(), e.getMessage(), null, FailureScope.SITE)
                    : new DeliveryOutcome.Deferred(e.enhancedStatus(), e.getMessage(), null, FailureScope.SITE);
            throw new ConnectFailure(outcome);
        }
        TlsPolicy tls = tlsPolicy(destination);
        RelayCredentials relayCredentials = destination.configured()
                ? credentials.get(destination.route().host().toLowerCase(Locale.ROOT)) : null;
        ClientCredentials login = null;
        if (relayCredentials != null) {
            try {
                login = relayCredentials.resolve();
            } catch (IOException e) {
                log.error("cannot read the AUTH password file {} for {}: {}", relayCredentials.passwordFile(),
                        destination, e.toString());
                throw new ConnectFailure(new DeliveryOutcome.Deferred("4.7.0",
                        "local configuration error: AUTH credentials unavailable", null, FailureScope.SITE));
            }
        }
        SmtpClientException last = null;
        boolean allPermanent = true;
        int tried = 0;
        InetAddress source = destination.source();
        if (source != null) {
            hops = sourceFamilyFirst(hops, AddressFamily.of(source));
        }
        for (NextHop hop : hops) {
            if (tried++ == MAX_ADDRESSES) {
                break;
            }
            AddressFamily family = AddressFamily.of(hop.address());
            ClientPort port = clientPorts.getOrDefault(family, ClientPort.defaults(family));
            TlsPolicy hopTls = tls;
            if (port.noStartTls()) {
                if (tls == TlsPolicy.REQUIRED) {
                    // Modifier S forbids what the route requires: this family cannot carry the mail.
                    log.warn("{}: TLS is required but ClientPortOptions for {} has modifier S; skipping {}",
                            destination, family.sendmailName(), hop.address().getHostAddress());
                    allPermanent = false;
                    continue;
                }
                hopTls = TlsPolicy.NONE;
            }
            ConnectRequest request = new ConnectRequest(new InetSocketAddress(hop.address(), hop.port()),
                    hop.hostName(), bind(port, source, hop), port.sendBuffer(), port.receiveBuffer(), heloName, hopTls,
                    port.noAuth() ? null : login, relayCredentials != null && relayCredentials.allowWithoutTls());
            try {
                return new PooledSession(client.connect(request, port.interfaceHelo() ? interfaceNames : null,
                        MailerSessions.of(destination.mailer(), heloName)), hop.hostName(), port.flags(),
                        hop.address().getHostAddress(),
                        MailLog.relay(hop.hostName(), hop.address().getHostAddress(), hop.port()));
            } catch (SmtpClientException e) {
                log.info("{}: cannot use {}[{}]:{}: {}", destination, hop.hostName(), hop.address().getHostAddress(),
                        hop.port(), e.getMessage());
                last = e;
                allPermanent &= e.permanent();
            }
        }
        if (last == null) {
            // Nothing was tried: no address, or every one was ruled out by ClientPortOptions.
            throw new ConnectFailure(new DeliveryOutcome.Deferred("4.4.4", "no usable address for "
                    + destination.nextHopName(), null, FailureScope.SITE));
        }
        String status = last.reply() != null && last.reply().enhanced() != null ? last.reply().enhanced()
                : allPermanent ? "5.4.0" : "4.4.1";
        String diagnostic = last.reply() != null ? Outcomes.diagnostic(last.reply()) : last.getMessage();
        DeliveryOutcome outcome = allPermanent
                ? new DeliveryOutcome.Failed(status, diagnostic, null, FailureScope.SITE)
                : new DeliveryOutcome.Deferred(Outcomes.temporary(status), diagnostic, null, FailureScope.SITE);
        throw new ConnectFailure(outcome);
    }

    /**
     * Where a connection to {@code hop} binds: DaemonPortOptions modifier {@code b} sends from the
     * address the mail came in on, which overrides ClientPortOptions {@code Addr} (as in sendmail)
     * when the hop is of the same family. A hop of the other family cannot be reached from that
     * address, so it uses its own family's ClientPortOptions source. A loopback source is used only
     * for a loopback hop: sendmail never binds to loopback, since nothing else is reachable from it.
     */
    static InetSocketAddress bind(ClientPort port, InetAddress source, NextHop hop) {
        if (source == null || AddressFamily.of(source) != AddressFamily.of(hop.address())
                || source.isLoopbackAddress() && !hop.address().isLoopbackAddress()) {
            return port.bind();
        }
        return new InetSocketAddress(source, 0); // any source port, as sendmail does for b
    }

    /**
     * The hops with, within each host, the addresses of {@code family} first: with modifier
     * {@code b}, an address the mail's source address can reach is tried before the other family.
     * MX order is kept: hosts are never reordered, only one host's addresses.
     */
    static List<NextHop> sourceFamilyFirst(List<NextHop> hops, AddressFamily family) {
        List<NextHop> ordered = new java.util.ArrayList<>(hops.size());
        int i = 0;
        while (i < hops.size()) {
            int j = i;
            while (j < hops.size() && hops.get(j).hostName().equals(hops.get(i).hostName())
                    && hops.get(j).preference() == hops.get(i).preference()) {
                j++;
            }
            List<NextHop> host = hops.subList(i, j);
            host.stream().filter(h -> AddressFamily.of(h.address()) == family).forEach(ordered::add);
            host.stream().filter(h -> AddressFamily.of(h.address()) != family).forEach(ordered::add);
            i = j;
        }
        return ordered;
    }
}
