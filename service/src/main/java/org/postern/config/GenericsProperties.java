package org.postern.config;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * sendmail's {@code FEATURE(genericstable)} for one rule set: {@code postern.rewriting.<name>.generics}.
 * Entries are written as lines of {@code makemap}'s text source ({@code key value}), inline or in a
 * file, because a YAML map would lose them: Spring Boot drops {@code @}, {@code +} and {@code *} from
 * map keys that are not bracketed, and genericstable keys are made of them.
 *
 * @param domains      {@code GENERICS_DOMAIN}: the domains whose addresses are looked up (unqualified
 *                     addresses always are)
 * @param entireDomain {@code FEATURE(generics_entire_domain)}: subdomains of {@code domains} too
 * @param entries      table lines, e.g. {@code "jdoe john.doe@example.com"}, {@code "@old.example %1@example.com"}
 * @param file         a table in {@code makemap} text source format (the file {@code makemap hash}
 *                     reads: {@code key value} per line, {@code #} comments); read at startup
 */
public record GenericsProperties(
        List<String> domains,
        @DefaultValue("false") boolean entireDomain,
        List<String> entries,
        Path file) {

    public GenericsProperties {
        domains = domains == null ? List.of() : List.copyOf(domains);
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    public boolean isSet() {
        return !entries.isEmpty() || file != null;
    }
}
