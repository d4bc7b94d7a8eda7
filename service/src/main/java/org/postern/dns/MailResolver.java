package org.postern.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The two lookups delivery needs: where a domain's mail goes, and the addresses of a host. Kept
 * this small so routing can be tested with a fake.
 */
public interface MailResolver {

    /**
     * The mail exchangers of a domain, lowest preference first, equal preferences in random order.
     * A domain that exists without MX records yields one implicit exchanger: the domain itself.
     *
     * @throws DnsLookupException permanent "5.1.2" when the domain does not exist, permanent
     *                            "5.1.10" for a null MX (RFC 7505), temporary "4.4.3" when DNS
     *                            fails or times out
     */
    List<MailExchanger> mailExchangers(String domain) throws DnsLookupException;

    /**
     * The A and AAAA addresses of a host (IPv4 first, then IPv6). An IP address or an address
     * literal ({@code 127.0.0.1}, {@code [127.0.0.1]}, {@code [IPv6:::1]}) is returned as is,
     * without DNS.
     *
     * @throws DnsLookupException permanent "5.1.2" when the host does not exist or has neither A
     *                            nor AAAA records, temporary "4.4.3" when DNS fails or times out
     */
    List<InetAddress> addresses(String host) throws DnsLookupException;

    /**
     * The host name of an address (PTR), for ClientPortOptions modifier {@code h}; empty when there
     * is none or the lookup fails (a missing name is never an error: the caller has a fallback).
     */
    default Optional<String> hostName(InetAddress address) {
        return Optional.empty();
    }
}
