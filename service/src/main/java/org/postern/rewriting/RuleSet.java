package org.postern.rewriting;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postern.smtp.MailAddress;

/**
 * One named address-rewriting rule set, {@code postern.rewriting.<name>}: what a mailer's
 * {@code S=} or {@code R=} names. It plays the part of sendmail's {@code HdrFromSMTP} /
 * {@code EnvFromSMTP} with the features an administrator turns on, in sendmail's order:
 * <ol>
 * <li>the domain table ({@code FEATURE(domaintable)}): an old domain becomes a new one;</li>
 * <li>the generics table ({@code FEATURE(genericstable)}); a qualified result is final;</li>
 * <li>masquerading ({@code MASQUERADE_AS}, {@code MASQUERADE_DOMAIN}, {@code EXPOSED_USER}, ...);</li>
 * <li>an address still unqualified gets the relay's own name ({@code $j}), as sendmail's
 *     {@code MasqSMTP} qualifies every address an SMTP mailer sends.</li>
 * </ol>
 * The null sender and address literals ({@code user@[192.0.2.1]}) are never rewritten.
 *
 * @param name        the rule set's name, as mailers refer to it
 * @param domainTable old domain (lower case) → new domain
 * @param generics    the generics table, or null
 * @param masquerade  masquerading, or null
 * @param localHost   the relay's own host name ({@code $j})
 */
public record RuleSet(String name, Map<String, String> domainTable, GenericsTable generics, Masquerade masquerade,
        String localHost) implements UnaryOperator<MailAddress> {

    public RuleSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(localHost, "localHost");
        Map<String, String> lower = new HashMap<>();
        if (domainTable != null) {
            domainTable.forEach((from, to) -> lower.put(from.strip().toLowerCase(Locale.ROOT), to.strip()));
        }
        domainTable = Map.copyOf(lower);
    }

    /** The address as this rule set rewrites it; the same instance when it changes nothing. */
    @Override
    public MailAddress apply(MailAddress address) {
        if (address.isNullSender() || address.domain() != null && address.domain().startsWith("[")) {
            return address;
        }
        MailAddress a = address;
        if (a.isQualified()) {
            String renamed = domainTable.get(a.domainLowerCase());
            if (renamed != null) {
                a = new MailAddress(a.localPart(), renamed);
            }
        }
        if (generics != null) {
            Optional<MailAddress> generic = generics.lookup(a);
            if (generic.isPresent()) {
                if (generic.get().isQualified()) {
                    return same(address, generic.get());
                }
                a = generic.get(); // unqualified: masquerading qualifies it, as sendmail's MasqHdr does
            }
        }
        if (masquerade != null) {
            a = masquerade.apply(a, localHost);
        }
        if (!a.isQualified()) {
            a = new MailAddress(a.localPart(), localHost);
        }
        return same(address, a);
    }

    private static MailAddress same(MailAddress original, MailAddress rewritten) {
        return rewritten.equals(original) ? original : rewritten;
    }
}
