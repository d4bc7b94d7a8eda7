package org.postern.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses an IP address written as a literal, and nothing else: never a host name (which would be a
 * DNS lookup at startup) and never a shorthand such as {@code 10} or {@code 127.1}, which
 * {@link InetAddress} would quietly read as 0.0.0.10 or 127.0.0.1.
 */
public final class IpLiteral {
    /** Four decimal octets 0-255, without leading zeros (which some parsers read as octal). */
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

    private IpLiteral() {
    }

    /** @throws IllegalArgumentException when {@code text} is not a dotted quad or an IPv6 literal */
    public static InetAddress parse(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        if (!ipv4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    /**
     * An address of one family, for listener and source addresses ({@code Addr} with {@code Family});
     * blank means the family's wildcard address.
     *
     * @throws IllegalArgumentException when {@code text} is not an address, or not one of {@code family}
     */
    public static InetAddress parse(String text, AddressFamily family) {
        String value = text == null || text.isBlank() ? family.anyAddress() : text.strip();
        InetAddress address = parse(value);
        if (!family.matches(address)) {
            throw new IllegalArgumentException(value + " is not an address of family " + family.sendmailName());
        }
        return address;
    }
}
