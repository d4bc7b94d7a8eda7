package org.postern.dns;

import java.net.InetAddress;
import java.util.Optional;
import org.postern.smtp.IpLiteral;

/**
 * Recognises a host written as an IP address, which needs no DNS: an RFC 5321 address literal
 * ({@code [127.0.0.1]}, {@code [IPv6:::1]}, and the common {@code [::1]}) or a bare address
 * ({@code 127.0.0.1}, {@code ::1}). Anything else is a host name.
 */
public final class AddressLiteral {

    private AddressLiteral() {
    }

    /** The address, or empty when {@code host} is a name (or is malformed). */
    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String text = host;
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
            if (text.regionMatches(true, 0, "IPv6:", 0, 5)) {
                text = text.substring(5);
                if (text.indexOf(':') < 0) {
                    return Optional.empty(); // [IPv6:1.2.3.4] is not an IPv6 address
                }
            }
        } else if (!looksNumeric(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpLiteral.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when {@code host} is an address (in brackets or bare) rather than a name. */
    public static boolean isLiteral(String host) {
        return parse(host).isPresent();
    }

    /** A bare address has a colon (IPv6) or only digits and dots; a host name never has a colon. */
    private static boolean looksNumeric(String text) {
        return text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
