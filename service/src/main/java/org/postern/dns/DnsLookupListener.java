package org.postern.dns;

/**
 * Told the outcome of every DNS lookup, for metrics. Called once per lookup (a CNAME chain is one
 * lookup), on the delivering thread; it must be quick and must not throw.
 *
 * <p>{@code type} is one of "MX", "A", "AAAA", "PTR". {@code outcome} is one of the constants below:
 * a bounded set, safe as a metric label.
 */
@FunctionalInterface
public interface DnsLookupListener {

    /** Records of the type were found. */
    String FOUND = "found";
    /** The name exists but has no records of the type (NOERROR, empty answer). */
    String NODATA = "nodata";
    /** The name does not exist (NXDOMAIN). */
    String NXDOMAIN = "nxdomain";
    /** The domain publishes a null MX (RFC 7505): it accepts no mail. */
    String NULL_MX = "nullmx";
    /** The server answered with SERVFAIL, REFUSED or another error code. */
    String SERVFAIL = "servfail";
    /** No server answered within the timeout, after every attempt. */
    String TIMEOUT = "timeout";
    /** Answered entirely from the cache (positive or negative), without a query. */
    String CACHED = "cached";
    /** Anything else: a network error, a CNAME loop, an answer that does not match the question. */
    String ERROR = "error";

    DnsLookupListener NONE = (type, outcome) -> {
    };

    void lookup(String type, String outcome);
}
