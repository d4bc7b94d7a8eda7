package org.postern.config;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * sendmail's masquerading for one rule set: {@code postern.rewriting.<name>.masquerade}. Postern has
 * no class {@code {w}} of local names: only the domains listed are masqueraded, as with
 * {@code FEATURE(limited_masquerade)}; list the relay's own names here for class {@code {w}}'s effect.
 *
 * @param as           {@code MASQUERADE_AS}: the domain addresses are rewritten to; empty turns
 *                     masquerading off
 * @param domains      {@code MASQUERADE_DOMAIN}: the domains masqueraded
 * @param entireDomain {@code FEATURE(masquerade_entire_domain)}: their subdomains too
 * @param exceptions   {@code MASQUERADE_EXCEPTION}: domains (and their subdomains) never masqueraded
 * @param exposedUsers {@code EXPOSED_USER}: local parts never masqueraded, e.g. {@code root}
 * @param unqualified  whether an unqualified address (accepted on a listener with modifier {@code u})
 *                     gets the masquerade host, as in sendmail; false gives it the relay's own name
 */
public record MasqueradeProperties(
        @DefaultValue("") String as,
        List<String> domains,
        @DefaultValue("false") boolean entireDomain,
        List<String> exceptions,
        List<String> exposedUsers,
        @DefaultValue("true") boolean unqualified) {

    public MasqueradeProperties {
        as = as == null ? "" : as.strip();
        domains = domains == null ? List.of() : List.copyOf(domains);
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
        exposedUsers = exposedUsers == null ? List.of() : List.copyOf(exposedUsers);
    }

    public boolean isSet() {
        return !as.isEmpty();
    }
}
