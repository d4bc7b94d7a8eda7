package org.postern.mailer;

import java.util.Locale;
import org.postern.smtp.MailAddress;

/**
 * What a mailer's flags do to envelope addresses on the way out (the spool keeps them as
 * received; reports name them as received):
 * <ul>
 * <li>{@code g}: the null sender becomes {@code MAILER-DAEMON@$j}, for next hops that refuse {@code <>}.</li>
 * <li>{@code u} absent: the user part of a recipient is lower-cased; {@code h} absent: its host part
 *     (sendmail's buildaddr does the same with {@code q_user} and {@code q_host}).</li>
 * <li>{@code s}: quote characters are stripped from a recipient's local part ({@code "a b"} becomes
 *     {@code a b}, {@code \x} becomes {@code x}); {@code B}: a leading backslash only.</li>
 * </ul>
 * Flag {@code p} (a route-address reverse-path) is written by the SMTP client, as it is no address.
 */
public final class MailerAddresses {

    /** sendmail's {@code $n}. */
    public static final String MAILER_DAEMON = "MAILER-DAEMON";

    private MailerAddresses() {
    }

    /** The reverse-path to send for {@code sender} through {@code mailer}; {@code hostname} is {@code $j}. */
    public static MailAddress sender(MailerDefinition mailer, MailAddress sender, String hostname) {
        if (sender.isNullSender() && mailer.hasFlag('g')) {
            return new MailAddress(MAILER_DAEMON, hostname);
        }
        return sender;
    }

    /** The forward-path to send for {@code recipient} through {@code mailer}. */
    public static MailAddress recipient(MailerDefinition mailer, MailAddress recipient) {
        String local = recipient.localPart();
        String domain = recipient.domain();
        if (mailer.hasFlag('s')) {
            local = stripQuotes(local);
        } else if (mailer.hasFlag('B')) {
            while (local.startsWith("\\")) {
                local = local.substring(1);
            }
        }
        if (!mailer.hasFlag('u')) {
            local = local.toLowerCase(Locale.ROOT);
        }
        if (domain != null && !mailer.hasFlag('h')) {
            domain = domain.toLowerCase(Locale.ROOT);
        }
        return local.equals(recipient.localPart()) && java.util.Objects.equals(domain, recipient.domain())
                ? recipient : new MailAddress(local, domain);
    }

    /** sendmail's stripquotes: {@code "} removed, {@code \x} becomes {@code x}. */
    static String stripQuotes(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else if (c != '"') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
