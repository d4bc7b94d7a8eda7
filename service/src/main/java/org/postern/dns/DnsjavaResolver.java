package org.postern.dns;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.Credibility;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link MailResolver} on dnsjava, speaking to recursive resolvers over UDP (TCP when an answer is
 * truncated, which dnsjava's {@link SimpleResolver} does by itself).
 *
 * <p>Each instance owns a dnsjava {@link Cache}, never the static default one, so answers are
 * reused for their TTL (negative answers for the SOA minimum, RFC 2308) and two instances share
 * nothing. Names are always absolute: no search path, no {@code /etc/hosts}. CNAME and DNAME chains
 * are followed, through the cache, up to {@link #MAX_ALIASES} links.
 *
 * <p>How answers map to outcomes (also in {@code docs/routing-and-dns.md}):
 * NXDOMAIN is permanent 5.1.2; a null MX is permanent 5.1.10; a host with neither A nor AAAA is
 * permanent 5.1.2; SERVFAIL (or REFUSED, or any other error code), a timeout and anything
 * unexpected are temporary 4.4.3, since an unknown error must never bounce mail.
 *
 * <p>Thread-safe: the cache is synchronised and the resolver keeps no per-query state.
 */
public final class DnsjavaResolver implements MailResolver {

    private static final System.Logger LOG = System.getLogger(DnsjavaResolver.class.getName());
    /** Longest CNAME/DNAME chain followed; longer ones are loops or abuse. */
    static final int MAX_ALIASES = 8;

    private final List<SimpleResolver> servers;
    private final long timeoutMillis;
    private final int attempts;
    private final Cache cache = new Cache(DClass.IN);
    private final DnsLookupListener listener;
    private final RandomGenerator random;

    public DnsjavaResolver(DnsSettings settings) {
        this(settings, DnsLookupListener.NONE, RandomGenerator.getDefault());
    }

    /**
     * @param random orders MX hosts of equal preference (RFC 5321 section 5.1 asks for random order,
     *               to spread load); a seeded generator makes tests deterministic
     */
    public DnsjavaResolver(DnsSettings settings, DnsLookupListener listener, RandomGenerator random) {
        Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = Objects.requireNonNull(random, "random");
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        List<SimpleResolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver one = new SimpleResolver(server); // UDP, then TCP when the answer is truncated
            one.setTimeout(settings.timeout());
            resolvers.add(one);
        }
        this.servers = List.copyOf(resolvers);
        this.timeoutMillis = settings.timeout().toMillis();
        this.attempts = settings.attempts();
    }

    @Override
    public List<MailExchanger> mailExchangers(String domain) throws DnsLookupException {
        Optional<InetAddress> literal = AddressLiteral.parse(domain);
        if (literal.isPresent()) {
            return List.of(new MailExchanger(domain, 0, true)); // an address literal is its own exchanger
        }
        Name name = toName(domain);
        Answer answer = query(name, Type.MX);
        switch (answer.kind) {
            case NXDOMAIN -> {
                report("MX", answer, DnsLookupListener.NXDOMAIN);
                throw DnsLookupException.permanent("5.1.2", "Domain not found");
            }
            case NODATA -> {
                report("MX", answer, DnsLookupListener.NODATA);
                // RFC 5321 section 5.1: no MX, so the domain itself is the exchanger (the "implicit MX").
                return List.of(new MailExchanger(hostText(name), 0, true));
            }
            case FOUND -> {
                List<MailExchanger> exchangers = exchangers(answer.records);
                report("MX", answer, exchangers.isEmpty() ? DnsLookupListener.NULL_MX : DnsLookupListener.FOUND);
                if (exchangers.isEmpty()) {
                    throw DnsLookupException.permanent("5.1.10", "Domain does not accept mail (null MX)");
                }
                return exchangers;
            }
            default -> {
                report("MX", answer, answer.kind.outcome);
                throw temporaryFailure(domain, "MX", answer);
            }
        }
    }

    @Override
    public List<InetAddress> addresses(String host) throws DnsLookupException {
        Optional<InetAddress> literal = AddressLiteral.parse(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        Name name = toName(host);
        Answer a = query(name, Type.A);
        report("A", a, a.kind.outcome);
        Answer aaaa;
        if (a.kind == Kind.TIMEOUT) {
            // The servers did not answer at all; asking them again for AAAA would double the wait.
            aaaa = a;
        } else {
            aaaa = query(name, Type.AAAA);
            report("AAAA", aaaa, aaaa.kind.outcome);
        }
        List<InetAddress> found = new ArrayList<>();
        for (Answer answer : List.of(a, aaaa)) {
            if (answer.kind == Kind.FOUND) {
                for (Record r : answer.records) {
                    if (r instanceof ARecord ar) {
                        found.add(ar.getAddress());
                    } else if (r instanceof AAAARecord ar) {
                        found.add(ar.getAddress());
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            return List.copyOf(found); // one family is enough, even if the other failed
        }
        if (a.kind.temporary || aaaa.kind.temporary) {
            throw temporaryFailure(host, a.kind.temporary ? "A" : "AAAA", a.kind.temporary ? a : aaaa);
        }
        if (a.kind == Kind.NXDOMAIN && aaaa.kind == Kind.NXDOMAIN) {
            throw DnsLookupException.permanent("5.1.2", "Host not found");
        }
        throw DnsLookupException.permanent("5.1.2", "Host has no address records");
    }

    /** Drops everything cached, for tests and for an operator who changed DNS. */
    @Override
    public Optional<String> hostName(InetAddress address) {
        Name name = ReverseMap.fromAddress(address);
        Answer answer = query(name, Type.PTR);
        report("PTR", answer, answer.kind.outcome);
        if (answer.kind == Kind.FOUND) {
            for (Record r : answer.records) {
                if (r instanceof PTRRecord ptr) {
                    return Optional.of(hostText(ptr.getTarget()));
                }
            }
        }
        return Optional.empty();
    }

    public void clearCache() {
        cache.clearCache();
    }

    private List<MailExchanger> exchangers(List<Record> records) {
        // Lowest preference per host (a host listed twice is tried once), then sorted.
        Map<String, Integer> byHost = new LinkedHashMap<>();
        for (Record r : records) {
            if (r instanceof MXRecord mx) {
                if (mx.getTarget().equals(Name.root)) {
                    // RFC 7505: a lone "0 ." is a null MX; beside other MX records it is an error we skip.
                    continue;
                }
                byHost.merge(hostText(mx.getTarget()), mx.getPriority(), Math::min);
            }
        }
        List<MailExchanger> out = new ArrayList<>();
        byHost.forEach((host, pref) -> out.add(new MailExchanger(host, pref, false)));
        // Shuffle, then a stable sort by preference: random order within each preference.
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            out.set(j, out.set(i, out.get(j)));
        }
        out.sort((x, y) -> Integer.compare(x.preference(), y.preference()));
        return List.copyOf(out);
    }

    private DnsLookupException temporaryFailure(String name, String type, Answer answer) {
        LOG.log(Level.DEBUG, "DNS {0} lookup of {1} failed: {2}", type, name, answer.detail);
        return DnsLookupException.temporary("4.4.3", answer.kind == Kind.TIMEOUT
                ? "DNS lookup timed out, will retry"
                : "DNS lookup failed, will retry");
    }

    private void report(String type, Answer answer, String outcome) {
        try {
            listener.lookup(type, answer.fromNetwork ? outcome : DnsLookupListener.CACHED);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "DNS lookup listener failed", e); // metrics must never stop delivery
        }
    }

    private static Name toName(String domain) throws DnsLookupException {
        if (domain == null || domain.isBlank() || domain.equals(".")) {
            throw DnsLookupException.permanent("5.1.2", "Bad domain name");
        }
        try {
            // IDN.toASCII turns a UTF-8 (SMTPUTF8) domain into the A-labels DNS knows.
            return Name.fromString(IDN.toASCII(domain.trim(), IDN.ALLOW_UNASSIGNED), Name.root);
        } catch (TextParseException | IllegalArgumentException e) {
            throw DnsLookupException.permanent("5.1.2", "Bad domain name");
        }
    }

    /** A name as delivery uses it: lower case, no trailing dot. */
    private static String hostText(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves {@code name}/{@code type} through the cache, querying the servers for what is not
     * cached and following aliases. Never throws: every failure is an {@link Answer} kind.
     */
    private Answer query(Name name, int type) {
        Name current = name;
        boolean fromNetwork = false;
        for (int links = 0; links <= MAX_ALIASES; links++) {
            SetResponse sr = cache.lookupRecords(current, type, Credibility.NORMAL);
            if (sr.isUnknown() || sr.isDelegation()) {
                fromNetwork = true;
                Message response;
                try {
                    response = send(current, type);
                } catch (TimeoutException e) {
                    return Answer.failed(Kind.TIMEOUT, current, fromNetwork, "timed out");
                } catch (IOException e) {
                    return Answer.failed(Kind.ERROR, current, fromNetwork, String.valueOf(e.getCause()));
                } catch (InterruptedException e) {
                    return Answer.failed(Kind.ERROR, current, fromNetwork, "interrupted");
                }
                int rcode = response.getHeader().getRcode();
                if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                    return Answer.failed(Kind.SERVFAIL, current, fromNetwork, Rcode.string(rcode));
                }
                Record question = response.getQuestion();
                if (question == null || !question.getName().equals(current) || question.getType() != type) {
                    return Answer.failed(Kind.ERROR, current, fromNetwork, "answer does not match the question");
                }
                sr = cache.addMessage(response);
                if (sr == null) {
                    sr = cache.lookupRecords(current, type, Credibility.NORMAL);
                }
            }
            if (sr.isSuccessful()) {
                List<Record> records = new ArrayList<>();
                for (RRset set : sr.answers()) {
                    records.addAll(set.rrs(false));
                }
                return new Answer(Kind.FOUND, current, records, fromNetwork, "");
            } else if (sr.isNXDOMAIN()) {
                return new Answer(Kind.NXDOMAIN, current, List.of(), fromNetwork, "");
            } else if (sr.isNXRRSET()) {
                return new Answer(Kind.NODATA, current, List.of(), fromNetwork, "");
            } else if (sr.isCNAME()) {
                current = sr.getCNAME().getTarget();
            } else if (sr.isDNAME()) {
                try {
                    current = current.fromDNAME(sr.getDNAME());
                } catch (NameTooLongException e) {
                    return Answer.failed(Kind.ERROR, current, fromNetwork, "DNAME target too long");
                }
            } else {
                return Answer.failed(Kind.ERROR, current, fromNetwork, "unusable answer: " + sr);
            }
        }
        return Answer.failed(Kind.ERROR, current, fromNetwork, "CNAME chain longer than " + MAX_ALIASES);
    }

    /**
     * Asks the servers as {@code resolv.conf} would: each round tries every server in order, up to
     * {@code attempts} rounds, waiting {@code timeout} for each. The timeout is enforced here, not by
     * dnsjava, whose NIO loop checks timeouts only about once a second. A server that answers with
     * an error code (SERVFAIL, REFUSED) is not asked again; the next one is.
     *
     * @return the first NOERROR or NXDOMAIN answer, else the last error answer
     * @throws TimeoutException when no server answered at all
     * @throws IOException      on a network error from the last server asked
     */
    private Message send(Name name, int type) throws IOException, TimeoutException, InterruptedException {
        if (servers.isEmpty()) {
            throw new IOException("no DNS servers configured");
        }
        Message errorAnswer = null;
        Exception last = null;
        boolean[] gaveError = new boolean[servers.size()];
        for (int round = 0; round < attempts; round++) {
            for (int i = 0; i < servers.size(); i++) {
                if (gaveError[i]) {
                    continue;
                }
                CompletableFuture<Message> answer = servers.get(i)
                        .sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN)))
                        .toCompletableFuture();
                try {
                    Message response = answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
                    int rcode = response.getHeader().getRcode();
                    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                        return response;
                    }
                    gaveError[i] = true;
                    errorAnswer = response;
                } catch (TimeoutException e) {
                    answer.cancel(false);
                    last = e;
                } catch (ExecutionException e) {
                    last = isTimeout(e.getCause()) ? new TimeoutException() : e;
                } catch (InterruptedException e) {
                    answer.cancel(false);
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        if (errorAnswer != null) {
            return errorAnswer;
        }
        if (last instanceof TimeoutException t) {
            throw t;
        }
        throw new IOException("DNS query failed", last);
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            // dnsjava reports its own timeouts as SocketTimeoutException (an InterruptedIOException)
            // or as a plain IOException saying "Timed out".
            if (t instanceof TimeoutException || t instanceof InterruptedIOException
                    || (t.getMessage() != null && t.getMessage().startsWith("Timed out"))) {
                return true;
            }
        }
        return false;
    }

    private enum Kind {
        FOUND(DnsLookupListener.FOUND, false),
        NODATA(DnsLookupListener.NODATA, false),
        NXDOMAIN(DnsLookupListener.NXDOMAIN, false),
        SERVFAIL(DnsLookupListener.SERVFAIL, true),
        TIMEOUT(DnsLookupListener.TIMEOUT, true),
        ERROR(DnsLookupListener.ERROR, true);

        final String outcome;
        final boolean temporary;

        Kind(String outcome, boolean temporary) {
            this.outcome = outcome;
            this.temporary = temporary;
        }
    }

    /** One lookup's result; {@code owner} is the name at the end of any alias chain. */
    private record Answer(Kind kind, Name owner, List<Record> records, boolean fromNetwork, String detail) {
        static Answer failed(Kind kind, Name owner, boolean fromNetwork, String detail) {
            return new Answer(kind, owner, List.of(), fromNetwork, detail);
        }
    }
}
