package org.postern.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerProtocol;
import org.postern.mailer.MailerType;
import org.postern.mailer.RewritingRef;

/**
 * Parses a sendmail {@code M} line, as sendmail's {@code makemailer} reads it, into a
 * {@link MailerDefinition}:
 * <pre>
 * Mesmtp, P=[IPC], F=mDFMuXa, S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP, E=\r\n, L=990,
 *         T=DNS/RFC822/SMTP, A=TCP $h
 * </pre>
 * The name ends at a comma or white space; fields are {@code code=value}, separated by commas;
 * only the first character of a field name counts and it is case-sensitive ({@code Path=},
 * {@code P=}; {@code maxmessages=} is {@code m=}, {@code Maxsize=} is {@code M=}). A value may be
 * quoted to hold commas, and backslash escapes {@code \r \n \f \b} as sendmail's {@code munchstring}.
 * Continuation lines of a {@code sendmail.cf} (starting with white space) may be kept.
 *
 * <p>Unlike sendmail, a field that has no meaning for a network relay, or a value sendmail would
 * silently coerce, is an error with the reason. Fields not given take sendmail's defaults
 * ({@code E=\r\n}, {@code r=100}, {@code T=dns/rfc822/smtp}, no limits, port 25).
 */
public final class MailerLineParser {

    /** Fields that only make sense for a program mailer, with the reason they are rejected. */
    static final Map<Character, String> REJECTED_FIELDS = Map.of(
            'D', "Directory (D=) is a program mailer's working directory; Postern runs no programs",
            'U', "Userid (U=) is the user a program mailer runs as; Postern runs no programs",
            'N', "Nice (N=) is a program mailer's nice(2) increment; Postern runs no programs",
            '/', "the root directory (/=) is a program mailer's chroot; Postern runs no programs",
            'Q', "Queuegroup (Q=) names a sendmail queue group; Postern has one queue, scheduled per"
                    + " destination, and no queue groups");

    /** Service names sendmail would look up for the port in {@code A=TCP $h port}. */
    private static final Map<String, Integer> SERVICES = Map.of("smtp", 25, "lmtp", 24, "submission", 587,
            "smtps", 465, "submissions", 465);

    private MailerLineParser() {
    }

    /**
     * Parses one {@code M} line.
     *
     * @throws IllegalArgumentException with the reason, naming the field, when the line is malformed
     *                                  or defines something Postern does not do
     */
    public static MailerDefinition parse(String line) {
        if (line == null) {
            throw new IllegalArgumentException("no M line");
        }
        String text = line.strip();
        if (!text.startsWith("M")) {
            throw new IllegalArgumentException("an M line starts with 'M' and the mailer name: '" + abbreviate(text)
                    + "'");
        }
        int p = 1;
        while (p < text.length() && text.charAt(p) != ',' && !Character.isWhitespace(text.charAt(p))) {
            p++;
        }
        String name = text.substring(1, p);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name required for mailer");
        }
        MailerDefinition.Builder b = MailerDefinition.builder(name);
        Set<Character> seen = new HashSet<>();
        boolean hasPath = false;
        boolean hasArgv = false;
        String flags = "";
        while (true) {
            while (p < text.length() && (text.charAt(p) == ',' || Character.isWhitespace(text.charAt(p)))) {
                p++;
            }
            if (p >= text.length()) {
                break;
            }
            char code = text.charAt(p);
            int start = p;
            while (p < text.length() && text.charAt(p) != '=' && text.charAt(p) != ',') {
                p++;
            }
            if (p >= text.length() || text.charAt(p) != '=') {
                throw new IllegalArgumentException("mailer " + name + ": '=' expected after '"
                        + text.substring(start, p).strip() + "'");
            }
            p++;
            while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
                p++;
            }
            StringBuilder value = new StringBuilder();
            p = munch(text, p, value);
            String v = value.toString();
            if (!seen.add(code)) {
                throw new IllegalArgumentException("mailer " + name + ": field " + code + "= given twice");
            }
            try {
                switch (code) {
                    case 'P' -> {
                        b.protocol(protocol(v));
                        hasPath = true;
                    }
                    case 'F' -> flags = v;
                    case 'S' -> b.senderRewriting(RewritingRef.parse(v));
                    case 'R' -> b.recipientRewriting(RewritingRef.parse(v));
                    case 'A' -> {
                        hasArgv = !v.isEmpty();
                        b.port(argvPort(v));
                    }
                    case 'E' -> b.eol(v);
                    case 'M' -> b.maxSize(number(v));
                    case 'm' -> b.maxMessages(intNumber(v));
                    case 'r' -> b.recipients(intNumber(v));
                    case 'L' -> b.lineLimit(intNumber(v));
                    case 'T' -> b.type(MailerType.parse(v));
                    case 'W' -> b.waitTime(duration(v));
                    case 'C' -> b.charset(v.isEmpty() ? null : v);
                    default -> {
                        String reason = REJECTED_FIELDS.get(code);
                        throw new IllegalArgumentException(reason != null ? reason
                                : "unknown mailer field " + code + "= (the operations guide defines"
                                        + " P F S R r A E M m L D U N C T W Q /)");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mailer " + name + ": " + e.getMessage(), e);
            }
        }
        // sendmail's makemailer: "A= argument required", "P= argument required"
        if (!hasPath) {
            throw new IllegalArgumentException("mailer " + name + ": P= argument required");
        }
        if (!hasArgv) {
            throw new IllegalArgumentException("mailer " + name + ": A= argument required");
        }
        try {
            return b.flags(flags).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mailer " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code P=}: {@code [IPC]} is SMTP over TCP, {@code [LMTP]} LMTP over TCP.
     *
     * @throws IllegalArgumentException for a program path or another built-in path, with the reason
     */
    public static MailerProtocol protocol(String path) {
        String p = path == null ? "" : path.strip();
        return switch (p) {
            case "[IPC]" -> MailerProtocol.SMTP;
            case "[LMTP]" -> MailerProtocol.LMTP;
            case "[TCP]" -> throw new IllegalArgumentException("P=[TCP] must be replaced by P=[IPC] (as sendmail says)");
            case "[FILE]" -> throw new IllegalArgumentException("P=[FILE] delivers to files, which is local delivery;"
                    + " Postern is a network relay");
            case "" -> throw new IllegalArgumentException("P= is empty");
            default -> throw new IllegalArgumentException("P=" + p + " is a program; Postern runs no programs and"
                    + " delivers only over TCP: use [IPC] (SMTP) or [LMTP]");
        };
    }

    /**
     * {@code A=}: {@code TCP $h} or {@code TCP $h port}; returns the port (25 when none is given).
     *
     * @throws IllegalArgumentException for anything else, with the reason
     */
    public static int argvPort(String argv) {
        List<String> words = argv == null ? List.of() : List.of(argv.strip().split("\\s+"));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new IllegalArgumentException("A= is empty; use TCP $h [port]");
        }
        if (words.get(0).equals("FILE")) {
            throw new IllegalArgumentException("A=FILE (a Unix-domain socket) is not supported; Postern delivers"
                    + " over TCP: use A=TCP $h [port]");
        }
        if (!words.get(0).equals("TCP")) {
            throw new IllegalArgumentException("A=" + argv.strip() + " is a program's argument vector; Postern runs"
                    + " no programs: use A=TCP $h [port]");
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException("too few parameters in A=" + argv.strip() + "; use TCP $h [port]");
        }
        if (!words.get(1).equals("$h")) {
            throw new IllegalArgumentException("A= must name the host as $h: the next hop comes from the route"
                    + " (postern.routing), not from the mailer; found '" + words.get(1) + "'");
        }
        if (words.size() > 3) {
            throw new IllegalArgumentException("too many parameters in A=" + argv.strip() + "; use TCP $h [port]");
        }
        if (words.size() == 2) {
            return MailerDefinition.SMTP_PORT;
        }
        String port = words.get(2);
        Integer service = SERVICES.get(port.toLowerCase(Locale.ROOT));
        if (service != null) {
            return service;
        }
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("'" + port + "' in A= is not a port number or a known service ("
                    + String.join(", ", SERVICES.keySet().stream().sorted().toList()) + ")");
        }
        return Integer.parseInt(port);
    }

    /**
     * {@code E=} as written in a property: {@code \r\n} escaped as in an M line, or CR LF itself.
     * Returned unescaped; {@link MailerDefinition} accepts only CRLF.
     */
    public static String eol(String text) {
        StringBuilder out = new StringBuilder();
        munch(text, 0, out);
        return out.toString();
    }

    /**
     * A sendmail time ({@code convtime} with default unit seconds): {@code 30}, {@code 90s},
     * {@code 5m}, {@code 1h30m}; units s, m, h, d, w.
     */
    public static Duration duration(String text) {
        return duration(text, 's');
    }

    /**
     * A sendmail time whose bare number is in {@code defaultUnit} ({@code 's'}, {@code 'm'},
     * {@code 'h'}, {@code 'd'}): sendmail's Timeout options differ in that only.
     */
    public static Duration duration(String text, char defaultUnit) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty time");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < t.length()) {
            int start = i;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("'" + text + "' is not a time (digits with units s m h d w)");
            }
            String digits = t.substring(start, i);
            char unit = i < t.length() ? t.charAt(i++) : defaultUnit;
            try {
                long n = Long.parseLong(digits);
                total = total.plus(switch (unit) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    case 'w' -> Duration.ofDays(Math.multiplyExact(n, 7L));
                    default -> throw new IllegalArgumentException("'" + text + "': unknown time unit '" + unit
                            + "' (s m h d w)");
                });
            } catch (NumberFormatException | ArithmeticException e) {
                // more digits than a long holds, or beyond Duration's range: a reason, not an ArithmeticException
                throw new IllegalArgumentException("'" + text + "' is too long a time");
            }
        }
        return total;
    }

    /**
     * sendmail's munchstring: up to an unquoted comma; quotes toggle, backslash escapes. White space
     * at the end (before the comma, or a continuation line's) is dropped unless quoted or escaped.
     */
    private static int munch(String text, int p, StringBuilder out) {
        boolean quoted = false;
        int kept = 0; // out's length up to the last character that must stay
        for (; p < text.length(); p++) {
            char c = text.charAt(p);
            if (c == '\\' && p + 1 < text.length()) {
                char e = text.charAt(++p);
                out.append(switch (e) {
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 'f' -> '\f';
                    case 'b' -> '\b';
                    default -> e;
                });
                kept = out.length();
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                break;
            } else {
                out.append(c);
                if (quoted || !Character.isWhitespace(c)) {
                    kept = out.length();
                }
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quote in '" + abbreviate(text) + "'");
        }
        out.setLength(kept);
        return p;
    }

    private static long number(String v) {
        if (!v.matches("-?[0-9]+")) {
            throw new IllegalArgumentException("'" + v + "' is not a number");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is out of range");
        }
    }

    private static int intNumber(String v) {
        long n = number(v);
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("'" + v + "' is out of range");
        }
        return (int) n;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
