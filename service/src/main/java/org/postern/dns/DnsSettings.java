package org.postern.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.postern.smtp.IpLiteral;

/**
 * Where and how patiently to ask DNS: the {@code postern.dns.*} properties.
 *
 * @param servers  recursive resolvers to ask, in no particular order; empty means the system's
 *                 ({@code /etc/resolv.conf})
 * @param timeout  how long to wait for one answer from one server
 * @param attempts how many times each server is asked before the lookup fails (1 = no retry); the
 *                 worst case for one lookup is {@code timeout * attempts * servers}
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int attempts) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_ATTEMPTS = 2;

    public DnsSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive, got " + timeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("DNS attempts must be at least 1, got " + attempts);
        }
    }

    /** The system's resolvers, 5 seconds, 2 attempts. */
    public static DnsSettings systemDefaults() {
        return new DnsSettings(List.of(), DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS);
    }

    /**
     * Parses one server: {@code 127.0.0.1:5353}, {@code 127.0.0.1} (port 53), {@code [::1]:5353},
     * {@code [::1]} or {@code ::1}. Only IP addresses: a name would need DNS to find DNS.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static InetSocketAddress parseServer(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty DNS server");
        }
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("DNS server '" + text + "' has no closing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("DNS server '" + text + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) < 0) { // exactly one colon: IPv4 with a port
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s; // no colon (IPv4), or several (a bare IPv6 address, which cannot carry a port)
            }
        }
        InetAddress address;
        try {
            address = IpLiteral.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DNS server '" + text + "' is not an IP address"
                    + " (write 127.0.0.1, 127.0.0.1:5353, ::1 or [::1]:5353)");
        }
        return new InetSocketAddress(address, port == null ? 53 : parsePort(port, text));
    }

    private static int parsePort(String port, String text) {
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("DNS server '" + text + "' has a bad port '" + port + "'");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("DNS server '" + text + "' port must be 1..65535");
        }
        return value;
    }
}
