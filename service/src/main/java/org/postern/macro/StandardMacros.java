package org.postern.macro;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;

/**
 * Fills the sendmail macros from what Postern knows, in the forms the operations guide gives: one
 * method per source (this host, a time, an envelope, a listener), so receipt and delivery build
 * the same values the same way. See {@link MacroCatalog} for the meaning of each.
 */
public final class StandardMacros {

    /** RFC 5322 date-time, as in Date: and Received: ({@code $a}, {@code $b}). */
    public static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final DateTimeFormatter NUMERIC = DateTimeFormatter.ofPattern("yyyyMMddHHmm", Locale.ROOT);

    /** The running version, from the jar's manifest; {@code dev} when not packaged (tests, IDE). */
    public static final String VERSION = version();

    private StandardMacros() {
    }

    private static String version() {
        String v = StandardMacros.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }

    /**
     * This host and the configuration: {@code $j $w $m $n $p $v $Z} and the operator's own
     * macros ({@code postern.macros}, which may set {@code $Z}).
     */
    public static Macros.Builder host(Macros.Builder b, String hostname, Map<String, String> userMacros) {
        int dot = hostname.indexOf('.');
        b.put("j", hostname)
                .put("w", dot < 0 ? hostname : hostname.substring(0, dot))
                .put("m", dot < 0 ? null : hostname.substring(dot + 1))
                .put("n", "MAILER-DAEMON")
                .put("p", Long.toString(ProcessHandle.current().pid()))
                .put("v", "Postern-" + VERSION)
                .put("Z", VERSION);
        return b.putAll(userMacros);
    }

    /** The dates of an instant: {@code $b $d $t ${time}}, and {@code $a} unless the caller sets it. */
    public static Macros.Builder time(Macros.Builder b, Instant when, ZoneId zone) {
        Dates dates = dates(when.getEpochSecond(), zone);
        return b.put("b", dates.rfc5322())
                .put("d", dates.ctime())
                .put("t", dates.numeric())
                .put("time", Long.toString(when.getEpochSecond()));
    }

    /** {@code $b}: an instant as RFC 5322 writes dates ({@code Date:}, {@code Received:}), to the second. */
    public static String rfc5322(Instant when, ZoneId zone) {
        return dates(when.getEpochSecond(), zone).rfc5322();
    }

    /** The formatted dates of one second in one zone. */
    private record Dates(long second, ZoneId zone, String rfc5322, String ctime, String numeric) {
    }

    /**
     * The last few seconds' dates, by second modulo their number: every message received (and
     * delivered) in the same second shares them, and formatting dates costs more than the rest of a
     * Received line. Elements are immutable, so a racy read sees a whole entry or an older one.
     */
    private static final Dates[] RECENT_DATES = new Dates[8];

    private static Dates dates(long second, ZoneId zone) {
        int slot = (int) (second & (RECENT_DATES.length - 1));
        Dates d = RECENT_DATES[slot];
        if (d == null || d.second() != second || !d.zone().equals(zone)) {
            Instant when = Instant.ofEpochSecond(second);
            ZonedDateTime local = when.atZone(zone);
            d = new Dates(second, zone, RFC5322.format(local), CTIME.format(local),
                    NUMERIC.format(when.atZone(ZoneOffset.UTC)));
            RECENT_DATES[slot] = d;
        }
        return d;
    }

    /**
     * What the envelope records of the message and of the session it came in: sender, queue id,
     * protocol, client, authentication, DSN parameters and the listener's name.
     */
    public static Macros.Builder envelope(Macros.Builder b, Envelope e) {
        String sender = address(e.sender());
        b.put("f", sender)
                .put("g", sender)
                .put("mail_addr", sender)
                .put("mail_host", e.sender().isNullSender() ? null : e.sender().domain())
                .put("i", e.queueId())
                .put("r", e.protocol())
                .put("s", e.heloName() == null ? null : printable(e.heloName()))
                .put("bodytype", e.body().keyword())
                .put("dsn_envid", e.envId())
                .put("envid", e.envId())
                .put("dsn_ret", e.ret() == null ? "" : e.ret() == DsnReturn.FULL ? "full" : "hdrs")
                .put("nrcpts", Integer.toString(e.recipients().size()))
                .put("auth_authen", e.authenticatedAs() == null ? null : xtext(e.authenticatedAs()))
                .put("daemon_name", e.listener());
        if (e.clientAddress() != null) {
            b.put("client_addr", clientAddress(e.clientAddress()))
                    .put("client_name", e.clientName() != null ? e.clientName() : "[" + clientAddress(e.clientAddress()) + "]")
                    .put("_", validatedHost(e.clientName(), e.clientAddress()));
        }
        return b;
    }

    /** A listener's macros: {@code ${daemon_name} ${daemon_addr} ${daemon_family} ${daemon_port} ${daemon_flags}}. */
    public static Macros.Builder daemon(Macros.Builder b, String name, InetAddress address, AddressFamily family,
            int port, String modifiers) {
        return b.put("daemon_name", name)
                .put("daemon_addr", address == null ? family.anyAddress() : address.getHostAddress())
                .put("daemon_family", family.sendmailName())
                .put("daemon_port", Integer.toString(port))
                .put("daemon_flags", flags(modifiers));
    }

    /** The DSN NOTIFY values of one recipient as sendmail shows them: lower case, comma-separated. */
    public static String notify(Set<DsnNotify> notify) {
        StringJoiner j = new StringJoiner(",");
        EnumSet<DsnNotify> ordered = EnumSet.noneOf(DsnNotify.class);
        ordered.addAll(notify);
        ordered.forEach(n -> j.add(n.name().toLowerCase(Locale.ROOT)));
        return j.toString();
    }

    /**
     * Modifier letters as {@code ${daemon_flags}} and {@code ${client_flags}} show them: separated by
     * spaces, upper-case letters doubled, so that rulesets can tell them apart ({@code hA} → {@code h AA}).
     */
    public static String flags(String letters) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            j.add(Character.isUpperCase(c) ? "" + c + c : String.valueOf(c));
        }
        return j.toString();
    }

    /** An address as the macros hold it: {@code local@domain}, empty for the null sender. */
    public static String address(MailAddress a) {
        return a.isNullSender() ? "" : a.toString();
    }

    /** {@code ${client_addr}}: the address, IPv6 tagged {@code IPv6:}. */
    public static String clientAddress(String address) {
        return address.indexOf(':') >= 0 && !address.startsWith("IPv6:") ? "IPv6:" + address : address;
    }

    /** {@code $_}: {@code [addr]}, preceded by the host name when known ({@code host [addr]}). */
    public static String validatedHost(String name, String address) {
        String bracketed = "[" + clientAddress(address) + "]";
        return name == null ? bracketed : printable(name) + " " + bracketed;
    }

    /**
     * Client-supplied text for a header (the HELO name): printable ASCII without parentheses, which
     * would open or close a comment, at most 255 characters (the longest domain name).
     */
    public static String printable(String s) {
        int n = Math.min(s.length(), 255);
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            out.append(c > 32 && c < 127 && c != '(' && c != ')' ? c : '?');
        }
        return out.toString();
    }

    /**
     * sendmail's encoding of AUTH and certificate macros (operations guide §6.7): non-printable
     * characters and {@code \ < > ( ) " +} and space become {@code +XX} (hex, upper case).
     */
    public static String xtext(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : bytes) {
            int c = x & 0xFF;
            if (c <= 32 || c >= 127 || "\\<>()\"+".indexOf(c) >= 0) {
                out.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
