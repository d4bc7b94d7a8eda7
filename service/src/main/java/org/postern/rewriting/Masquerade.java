package org.postern.rewriting;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.postern.smtp.MailAddress;

/**
 * sendmail's masquerading ({@code MASQUERADE_AS} and friends, the {@code MasqHdr}/{@code MasqEnv}
 * rule sets of {@code proto.m4}): addresses in the masqueraded domains are made to look as if they
 * came from the masquerade host. Postern has no class {@code {w}} of local names, so only the
 * domains listed are masqueraded, as with {@code FEATURE(limited_masquerade)}.
 *
 * @param host           {@code MASQUERADE_AS}: the domain addresses are rewritten to
 * @param domains        {@code MASQUERADE_DOMAIN} (class {@code {M}}), lower case
 * @param entireDomain   {@code FEATURE(masquerade_entire_domain)}: subdomains of {@code domains} too
 * @param exceptions     {@code MASQUERADE_EXCEPTION} (class {@code {N}}), lower case: these domains
 *                       and their subdomains are never masqueraded
 * @param exposedUsers   {@code EXPOSED_USER} (class {@code {E}}), lower case: local parts never
 *                       masqueraded (an unqualified one gets the relay's own name instead)
 * @param unqualified    whether an unqualified address gets the masquerade host (sendmail's
 *                       {@code *LOCAL*} → {@code $M}); when false it gets the relay's own name
 */
public record Masquerade(String host, Set<String> domains, boolean entireDomain, Set<String> exceptions,
        Set<String> exposedUsers, boolean unqualified) {

    public Masquerade {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the masquerade host is empty");
        }
        domains = lowerCase(domains);
        exceptions = lowerCase(exceptions);
        exposedUsers = lowerCase(exposedUsers);
    }

    /**
     * The address as masquerading leaves it. {@code localHost} ({@code $j}) qualifies what is not
     * masqueraded but must be qualified: an exposed unqualified user, or any unqualified address
     * when {@link #unqualified} is off.
     */
    MailAddress apply(MailAddress address, String localHost) {
        String local = address.localPart();
        boolean exposed = exposedUsers.contains(local.toLowerCase(Locale.ROOT));
        if (!address.isQualified()) {
            return new MailAddress(local, exposed || !unqualified ? localHost : host);
        }
        String domain = address.domainLowerCase();
        if (exposed || within(domain, exceptions, true) || !within(domain, domains, entireDomain)) {
            return address;
        }
        return new MailAddress(local, host);
    }

    /** Whether {@code domain} is one of {@code set}, or (with {@code subdomains}) under one. */
    static boolean within(String domain, Set<String> set, boolean subdomains) {
        if (set.contains(domain)) {
            return true;
        }
        if (subdomains) {
            for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
                if (set.contains(domain.substring(dot + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Set<String> lowerCase(Set<String> names) {
        return names == null ? Set.of()
                : names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
