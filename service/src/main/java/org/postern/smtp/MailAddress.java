package org.postern.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A mailbox from an SMTP path (RFC 5321 §4.1.2, with RFC 6531 UTF-8): a local part and a domain or
 * address literal. The null reverse-path {@code <>} is {@link #NULL_SENDER}. An unqualified
 * mailbox (no {@code @domain}) has a null domain; whether it is allowed is the session's call.
 */
public record MailAddress(String localPart, String domain) {

    /** The null reverse-path, {@code <>}, used by bounces. */
    public static final MailAddress NULL_SENDER = new MailAddress("", null);

    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    public boolean isNullSender() {
        return localPart.isEmpty() && domain == null;
    }

    public boolean isQualified() {
        return domain != null;
    }

    /** True when any part needs SMTPUTF8 to travel. */
    public boolean isInternationalized() {
        return !isAscii(localPart) || (domain != null && !isAscii(domain));
    }

    /** The address without angle brackets: {@code local@domain}, or the empty string for {@code <>}. */
    @Override
    public String toString() {
        return domain == null ? localPart : localPart + "@" + domain;
    }

    /** The domain in lower case, for routing and comparisons; null when unqualified. */
    public String domainLowerCase() {
        return domain == null ? null : domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the text after {@code MAIL FROM:} or {@code RCPT TO:} up to (not including) the
     * parameters: {@code <local@domain>}, {@code <>}, or a source route
     * {@code <@a,@b:local@domain>}, whose route is dropped as RFC 5321 Appendix C asks.
     *
     * @param path the path including angle brackets
     * @param utf8 whether non-ASCII is allowed (the transaction declared SMTPUTF8)
     * @throws AddressException with the reason when the path is malformed
     */
    public static MailAddress parsePath(String path, boolean utf8) throws AddressException {
        if (path.length() < 2 || path.charAt(0) != '<' || path.charAt(path.length() - 1) != '>') {
            throw new AddressException("path must be enclosed in angle brackets");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new AddressException("path too long");
        }
        String inner = path.substring(1, path.length() - 1);
        if (inner.isEmpty()) {
            return NULL_SENDER;
        }
        if (inner.charAt(0) == '@') {
            int colon = inner.indexOf(':');
            if (colon < 0) {
                throw new AddressException("source route without mailbox");
            }
            for (String hop : inner.substring(0, colon).split(",", -1)) {
                if (hop.length() < 2 || hop.charAt(0) != '@' || !isDomain(hop.substring(1), utf8)) {
                    throw new AddressException("malformed source route");
                }
            }
            inner = inner.substring(colon + 1);
        }
        return parseMailbox(inner, utf8);
    }

    /** Parses a bare mailbox, {@code local@domain} or an unqualified {@code local}. */
    public static MailAddress parseMailbox(String mailbox, boolean utf8) throws AddressException {
        if (mailbox.isEmpty()) {
            throw new AddressException("empty mailbox");
        }
        if (!utf8 && !isAscii(mailbox)) {
            throw new AddressException("non-ASCII address without SMTPUTF8", true);
        }
        int at = localPartEnd(mailbox);
        String local = mailbox.substring(0, at);
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            throw new AddressException("local part too long");
        }
        if (at == mailbox.length()) {
            return new MailAddress(local, null);
        }
        if (mailbox.charAt(at) != '@') {
            throw new AddressException("malformed local part");
        }
        String domain = mailbox.substring(at + 1);
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN) {
            throw new AddressException("domain too long");
        }
        if (!(isDomain(domain, utf8) || isAddressLiteral(domain))) {
            throw new AddressException("malformed domain");
        }
        return new MailAddress(local, domain);
    }

    /** Index just past the local part (a Dot-string or a Quoted-string); checks its syntax. */
    private static int localPartEnd(String s) throws AddressException {
        if (s.charAt(0) == '"') {
            int i = 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= s.length() || s.charAt(i + 1) < 32 || s.charAt(i + 1) > 126) {
                        throw new AddressException("bad quoted pair");
                    }
                    i += 2;
                } else if (c == '"') {
                    return i + 1;
                } else if ((c >= 32 && c != 127) || c > 127) {
                    i++;
                } else {
                    throw new AddressException("control character in quoted local part");
                }
            }
            throw new AddressException("unterminated quoted local part");
        }
        int i = 0;
        boolean atomStart = true;
        while (i < s.length() && s.charAt(i) != '@') {
            char c = s.charAt(i);
            if (c == '.') {
                if (atomStart) {
                    throw new AddressException("empty atom in local part");
                }
                atomStart = true;
            } else if (isAtext(c)) {
                atomStart = false;
            } else {
                throw new AddressException("invalid character in local part");
            }
            i++;
        }
        if (atomStart) {
            throw new AddressException("empty atom in local part");
        }
        return i;
    }

    private static boolean isAtext(char c) {
        if (c > 127) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c);
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** RFC 5321 Domain: dot-separated sub-domains of letters, digits and inner hyphens (or U-labels). */
    static boolean isDomain(String d, boolean utf8) {
        if (d.isEmpty() || d.startsWith(".") || d.endsWith(".")) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || (utf8 && c > 127 && Character.isLetterOrDigit(c));
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * RFC 5321 address-literal: [IPv4] or [IPv6:...]. A General-address-literal [tag:content] is
     * refused: no tag other than IPv6 is registered, so there is nothing it could be routed to.
     */
    static boolean isAddressLiteral(String d) {
        if (d.length() < 3 || d.charAt(0) != '[' || d.charAt(d.length() - 1) != ']') {
            return false;
        }
        String lit = d.substring(1, d.length() - 1);
        if (lit.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = lit.substring(5);
            if (!v6.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*") || v6.indexOf(':') < 0) {
                return false;
            }
            try {
                InetAddress.getByName(v6); // with a colon it is parsed as an IPv6 literal, never looked up
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        if (lit.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : lit.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }
}
