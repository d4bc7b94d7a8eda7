package org.postern.mailer;

import java.util.Locale;

/**
 * A mailer's {@code T=} field: the types a delivery status notification (RFC 3464) names in its
 * {@code Remote-MTA} (mta), {@code Final-Recipient} (addr) and {@code Diagnostic-Code} (diag)
 * fields. sendmail writes {@code T=DNS/RFC822/SMTP}; an empty part takes sendmail's default.
 *
 * @param mta  the MTA-name type, {@code dns}
 * @param addr the address type, {@code rfc822}
 * @param diag the diagnostic type, {@code smtp}
 */
public record MailerType(String mta, String addr, String diag) {

    /** sendmail's default, {@code dns/rfc822/smtp}. */
    public static final MailerType DEFAULT = new MailerType("dns", "rfc822", "smtp");

    public MailerType {
        mta = part(mta, "dns", "MTA type");
        addr = part(addr, "rfc822", "address type");
        diag = part(diag, "smtp", "diagnostic type");
    }

    /** Parses {@code mta/addr/diag}; missing or empty parts take the defaults, as sendmail does. */
    public static MailerType parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        String[] p = text.split("/", -1);
        if (p.length > 3) {
            throw new IllegalArgumentException("'" + text + "' has more than three parts (mta/addr/diag)");
        }
        return new MailerType(p[0], p.length > 1 ? p[1] : null, p.length > 2 ? p[2] : null);
    }

    @Override
    public String toString() {
        return mta + "/" + addr + "/" + diag;
    }

    private static String part(String value, String fallback, String what) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        value = value.strip();
        // RFC 3464 §2.1.2: a type is an atom (registered names or X- ones); it lands in a DSN line.
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a DSN type name");
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
