package org.postern.routing;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.dns.AddressLiteral;
import org.postern.smtp.SmtpReply;

/**
 * Parses a route written as sendmail writes the right-hand side of a mailertable entry or the
 * value of SMART_HOST:
 * <pre>
 *   host                      MX lookup for host, port 25
 *   host:2525                 MX lookup for host, port 2525
 *   [host]  [host]:587        no MX lookup: the host's own A/AAAA addresses
 *   [127.0.0.1]  127.0.0.1    an IPv4 address (never an MX lookup)
 *   [IPv6:::1]:2525  [::1]    an IPv6 address, always in brackets
 *   esmtp:host  relay:[host]:587   any of the above behind a mailer name
 *   esmtp:                    the mailer, to the recipient's own domain by MX
 *   error:5.7.1:550 text      reject: enhanced status, reply code, text
 *   error:5.7.1:text          reject with 550 (451 for a 4.x.x status)
 *   error:550 text            reject with status 5.0.0 (4.0.0 for a 4xx code)
 *   discard:                  accept and drop (anything after the colon is ignored, as sendmail does)
 * </pre>
 * A mailer prefix is told from a port by what follows the colon: only digits make a port.
 * sendmail's {@code local:}, {@code prog:}, {@code mailer:user@host} and {@code %1} substitution
 * have no meaning for a network relay and are rejected.
 */
public final class RouteParser {

    private static final Pattern MAILER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** Mailers that are never host names, so "error:550" is not host "error", port 550. */
    private static final Set<String> SPECIAL = Set.of("error", "discard", "local", "prog");
    /** error:D.S.N:text (the text may start with the reply code). */
    private static final Pattern ERROR_WITH_STATUS = Pattern.compile("([45])\\.([0-9]{1,3})\\.([0-9]{1,3}):(.*)", Pattern.DOTALL);
    /** error:CODE text. */
    private static final Pattern ERROR_WITH_CODE = Pattern.compile("([0-9]{3})(?:[ \\t]+(.*))?", Pattern.DOTALL);
    private static final Pattern LEADING_CODE = Pattern.compile("([0-9]{3})(?:[ \\t]+(.*))?", Pattern.DOTALL);

    private RouteParser() {
    }

    /**
     * @param defaultMailer the mailer when the spec names none: sendmail uses {@code relay} for
     *                      SMART_HOST; Postern's mailertable uses {@code esmtp}
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static Route parse(String spec, String defaultMailer) {
        if (defaultMailer == null || !MAILER.matcher(defaultMailer).matches()) {
            throw new IllegalArgumentException("'" + defaultMailer + "' is not a mailer name");
        }
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty route");
        }
        String s = spec.trim();
        String mailer = defaultMailer;
        String rest = s;
        boolean namedMailer = false;
        int colon = s.indexOf(':');
        if (!s.startsWith("[") && colon >= 0
                && (!DIGITS.matcher(s.substring(colon + 1)).matches() || SPECIAL.contains(s.substring(0, colon).toLowerCase(Locale.ROOT)))) {
            String prefix = s.substring(0, colon);
            if (prefix.isEmpty()) {
                throw invalid(spec, "write an IPv6 address in brackets, as [IPv6:::1] or [::1]");
            }
            if (!MAILER.matcher(prefix).matches()) {
                throw invalid(spec, prefix.indexOf('.') >= 0
                        ? "the port after ':' must be a number"
                        : "'" + prefix + "' is not a mailer name");
            }
            mailer = prefix;
            rest = s.substring(colon + 1).trim();
            namedMailer = true;
        }
        switch (mailer.toLowerCase(Locale.ROOT)) {
            case "error" -> {
                return new Route.Error(parseError(spec, rest));
            }
            case "discard" -> {
                return new Route.Discard();
            }
            case "local", "prog" -> throw invalid(spec, "the " + mailer
                    + " mailer delivers on this host, which a network relay does not do");
            default -> {
                return parseRelay(spec, mailer, rest, namedMailer);
            }
        }
    }

    /**
     * Parses a whole mailertable ({@code postern.routing.domains}): keys as in {@link DomainTable},
     * values as in {@link #parse}.
     *
     * @throws IllegalArgumentException naming the key whose route or domain is bad
     */
    public static DomainTable<Route> parseTable(Map<String, String> entries, String defaultMailer) {
        Map<String, Route> routes = new LinkedHashMap<>();
        entries.forEach((domain, spec) -> {
            try {
                routes.put(domain, parse(spec, defaultMailer));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route for '" + domain + "': " + e.getMessage(), e);
            }
        });
        return new DomainTable<>(routes);
    }

    private static Route.Relay parseRelay(String spec, String mailer, String rest, boolean namedMailer) {
        if (rest.isEmpty()) {
            if (!namedMailer) {
                throw invalid(spec, "no host");
            }
            return new Route.Relay(mailer, null, 0, true); // "esmtp:": the recipient's domain, by MX
        }
        String host;
        String port = null;
        boolean mxLookup;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw invalid(spec, "no closing ']'");
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(spec, "only ':port' may follow ']'");
                }
                port = after.substring(1);
            }
            String inside = rest.substring(1, close).trim();
            Optional<InetAddress> literal = AddressLiteral.parse("[" + inside + "]");
            if (literal.isPresent()) {
                host = addressText(inside);
            } else if (inside.indexOf(':') >= 0 || inside.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                throw invalid(spec, "'" + inside + "' is not an IP address");
            } else {
                host = hostName(spec, inside);
            }
            mxLookup = false;
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                port = rest.substring(colon + 1);
                if (host.indexOf(':') >= 0 || host.isEmpty()) {
                    throw invalid(spec, "write an IPv6 address in brackets, as [IPv6:::1] or [::1]");
                }
            } else {
                host = rest;
            }
            if (AddressLiteral.isLiteral(host)) {
                mxLookup = false; // an address has no MX records: connect to it
            } else if (host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                throw invalid(spec, "'" + host + "' is not an IP address");
            } else {
                host = hostName(spec, host);
                mxLookup = true;
            }
        }
        return new Route.Relay(mailer, host, port == null ? 0 : port(spec, port), mxLookup);
    }

    private static String hostName(String spec, String host) {
        if (host.indexOf('%') >= 0) {
            throw invalid(spec, "mailertable %1 substitution is not supported");
        }
        if (host.indexOf('@') >= 0) {
            throw invalid(spec, "mailer:user@host (rewriting the recipient) is not supported");
        }
        try {
            return DomainNames.normalize(host);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    /** The address as written, without the RFC 5321 "IPv6:" tag. */
    private static String addressText(String inside) {
        String text = inside.regionMatches(true, 0, "IPv6:", 0, 5) ? inside.substring(5) : inside;
        return text.toLowerCase(Locale.ROOT);
    }

    private static int port(String spec, String port) {
        if (!DIGITS.matcher(port).matches() || port.length() > 5) {
            throw invalid(spec, "the port after ':' must be a number");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw invalid(spec, "port " + value + " is not 1..65535");
        }
        return value;
    }

    private static SmtpReply parseError(String spec, String rest) {
        String status;
        String text;
        Integer code = null;
        Matcher withStatus = ERROR_WITH_STATUS.matcher(rest);
        Matcher withCode = ERROR_WITH_CODE.matcher(rest);
        if (withStatus.matches()) {
            status = withStatus.group(1) + "." + Integer.parseInt(withStatus.group(2)) + "." + Integer.parseInt(withStatus.group(3));
            text = withStatus.group(4).trim();
            Matcher leading = LEADING_CODE.matcher(text);
            if (leading.matches()) {
                code = Integer.parseInt(leading.group(1));
                text = leading.group(2) == null ? "" : leading.group(2).trim();
            }
            if (code == null) {
                code = status.charAt(0) == '5' ? 550 : 451;
            }
        } else if (withCode.matches()) {
            code = Integer.parseInt(withCode.group(1));
            text = withCode.group(2) == null ? "" : withCode.group(2).trim();
            status = (code / 100) + ".0.0";
        } else {
            throw invalid(spec, "error: needs a reply code, as error:5.7.1:550 text or error:550 text");
        }
        if (code < 400 || code > 599) {
            throw invalid(spec, "reply code " + code + " is not 4xx or 5xx");
        }
        if (code / 100 != status.charAt(0) - '0') {
            throw invalid(spec, "reply code " + code + " and status " + status + " disagree on temporary or permanent");
        }
        if (text.isEmpty()) {
            text = code >= 500 ? "Recipient rejected" : "Recipient temporarily rejected";
        }
        return SmtpReply.of(code, status, text);
    }

    private static IllegalArgumentException invalid(String spec, String reason) {
        return new IllegalArgumentException("'" + spec + "' is not a valid route: " + reason);
    }
}
