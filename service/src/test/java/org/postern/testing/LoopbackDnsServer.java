package org.postern.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real, authoritative-looking DNS server for tests: answers over UDP and TCP on the same
 * {@code 127.0.0.1} port, from records the test adds, so a resolver is exercised over real sockets
 * (wire format, truncation and TCP fallback, timeouts) without any real DNS.
 *
 * <p>Unknown names get NXDOMAIN; a known name without the asked type gets NODATA. Both carry an SOA
 * in the authority section (minimum = {@link #negativeTtl}) so resolvers cache them (RFC 2308).
 * CNAMEs are followed inside the server's own data, as a recursive resolver would. Records may only
 * hold loopback addresses. Every query is counted, by name and type, before any fault is applied.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> drop = ConcurrentHashMap.newKeySet();
    private final Set<Name> truncate = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tcpQueries = new ConcurrentHashMap<>();
    private volatile long negativeTtl = 60;
    private DatagramSocket udp;
    private ServerSocket tcp;
    private Thread udpThread;
    private Thread tcpThread;
    private volatile boolean closed;

    /**
     * Binds UDP and TCP on {@code port} of 127.0.0.1 and starts answering: a resolver that comes
     * back where it was, after a test closed it.
     */
    public LoopbackDnsServer start(int port) throws IOException {
        DatagramSocket u = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
        ServerSocket t = new ServerSocket();
        try {
            t.setReuseAddress(true);
            t.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            u.close();
            t.close();
            throw e;
        }
        udp = u;
        tcp = t;
        udpThread = Thread.ofPlatform().daemon().name("dns-udp-" + port()).start(this::serveUdp);
        tcpThread = Thread.ofPlatform().daemon().name("dns-tcp-" + port()).start(this::acceptTcp);
        return this;
    }

    /** Binds UDP and TCP on one free port of 127.0.0.1 and starts answering. */
    public LoopbackDnsServer start() throws IOException {
        for (int tries = 0; ; tries++) {
            DatagramSocket u = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            try {
                ServerSocket t = new ServerSocket();
                t.bind(new InetSocketAddress(LOOPBACK, u.getLocalPort()));
                udp = u;
                tcp = t;
                break;
            } catch (IOException e) { // the TCP port was taken: pick another UDP port
                u.close();
                if (tries == 20) {
                    throw e;
                }
            }
        }
        udpThread = Thread.ofPlatform().daemon().name("dns-udp-" + port()).start(this::serveUdp);
        tcpThread = Thread.ofPlatform().daemon().name("dns-tcp-" + port()).start(this::acceptTcp);
        return this;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port());
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** "127.0.0.1:port", the form of {@code postern.dns.servers}. */
    public String hostPort() {
        return LOOPBACK.getHostAddress() + ":" + port();
    }

    public LoopbackDnsServer addMx(String domain, int preference, String host, long ttl) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
    }

    /** RFC 7505: one MX, preference 0, target ".". */
    public LoopbackDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, 300, 0, Name.root));
    }

    public LoopbackDnsServer addA(String host, String address) {
        return addA(host, address, 300);
    }

    public LoopbackDnsServer addA(String host, String address, long ttl) {
        return add(new ARecord(name(host), DClass.IN, ttl, loopback(address, 4)));
    }

    public LoopbackDnsServer addAaaa(String host, String address) {
        return addAaaa(host, address, 300);
    }

    public LoopbackDnsServer addAaaa(String host, String address, long ttl) {
        return add(new AAAARecord(name(host), DClass.IN, ttl, loopback(address, 16)));
    }

    /** A PTR record for a loopback address, so the relay can name its own outgoing interface. */
    public LoopbackDnsServer addPtr(String address, String host) {
        try {
            org.xbill.DNS.Name reverse = org.xbill.DNS.ReverseMap.fromAddress(java.net.InetAddress.getByName(address));
            return add(new org.xbill.DNS.PTRRecord(reverse, org.xbill.DNS.DClass.IN, 300, name(host)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    public LoopbackDnsServer addCname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, 300, name(target)));
    }

    /** Makes a name exist without any records of the usual types (so MX, A and AAAA are NODATA). */
    public LoopbackDnsServer addName(String name) {
        zone.computeIfAbsent(name(name), k -> new CopyOnWriteArrayList<>());
        return this;
    }

    /** Every query for {@code name} (any type) gets SERVFAIL. */
    public LoopbackDnsServer servfail(String name) {
        servfail.add(name(name));
        return this;
    }

    /** Every query for {@code name} is dropped unanswered: the client times out. */
    public LoopbackDnsServer noAnswer(String name) {
        drop.add(name(name));
        return this;
    }

    /** Ends the SERVFAIL, no-answer and truncation faults set for {@code name}: it is answered normally again. */
    public LoopbackDnsServer answerNormally(String name) {
        Name n = name(name);
        servfail.remove(n);
        drop.remove(n);
        truncate.remove(n);
        return this;
    }

    /** UDP answers for {@code name} are empty with TC set, so the client must ask again over TCP. */
    public LoopbackDnsServer truncateUdp(String name) {
        truncate.add(name(name));
        return this;
    }

    /** The SOA minimum in negative answers, which is how long resolvers cache them. */
    public LoopbackDnsServer negativeTtl(long seconds) {
        negativeTtl = seconds;
        return this;
    }

    /** Queries received for {@code name} and {@code type} ("MX", "A", ...) over UDP and TCP together. */
    public int queries(String name, String type) {
        AtomicInteger n = queries.get(key(name(name), Type.value(type)));
        return n == null ? 0 : n.get();
    }

    /** Queries received over TCP only. */
    public int tcpQueries(String name, String type) {
        AtomicInteger n = tcpQueries.get(key(name(name), Type.value(type)));
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (udpThread != null) {
            udpThread.join(2000);
            tcpThread.join(2000);
        }
    }

    private LoopbackDnsServer add(Record record) {
        zone.computeIfAbsent(record.getName(), k -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress loopback(String literal, int length) {
        InetAddress address;
        try {
            address = InetAddress.getByName(literal); // tests pass literals only: no lookup
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
        if (!address.isLoopbackAddress() || address.getAddress().length != length) {
            throw new IllegalArgumentException("test DNS records hold loopback addresses only, not " + literal);
        }
        return address;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase() + "|" + type;
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query, false);
                if (response != null) {
                    byte[] wire = response.toWire(512);
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // a malformed packet: ignore it, as a server would
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket client = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcp(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serveTcp(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (!closed) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                Message response = answer(new Message(wire), true);
                if (response != null) {
                    byte[] bytes = response.toWire();
                    out.writeShort(bytes.length);
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // client done
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The response to {@code query}, or null to drop it. */
    private Message answer(Message query, boolean overTcp) {
        Record question = query.getQuestion();
        Name name = question.getName();
        int type = question.getType();
        queries.computeIfAbsent(key(name, type), k -> new AtomicInteger()).incrementAndGet();
        if (overTcp) {
            tcpQueries.computeIfAbsent(key(name, type), k -> new AtomicInteger()).incrementAndGet();
        }
        if (drop.contains(name)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        if (servfail.contains(name)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        if (!overTcp && truncate.contains(name)) {
            response.getHeader().setFlag(Flags.TC);
            return response;
        }
        Name current = name;
        for (int links = 0; links < 16; links++) {
            List<Record> records = zone.get(current);
            if (records == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                response.addRecord(soa(), Section.AUTHORITY);
                return response;
            }
            Record cname = records.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname != null && type != Type.CNAME) {
                response.addRecord(cname, Section.ANSWER);
                current = ((CNAMERecord) cname).getTarget();
                continue;
            }
            List<Record> matching = records.stream().filter(r -> r.getType() == type).toList();
            if (matching.isEmpty()) {
                response.addRecord(soa(), Section.AUTHORITY);
            }
            matching.forEach(r -> response.addRecord(r, Section.ANSWER));
            return response;
        }
        response.getHeader().setRcode(Rcode.SERVFAIL); // a CNAME loop in the test data
        return response;
    }

    private SOARecord soa() {
        try {
            return new SOARecord(Name.root, DClass.IN, negativeTtl, Name.fromString("ns.test."),
                    Name.fromString("hostmaster.test."), 1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
