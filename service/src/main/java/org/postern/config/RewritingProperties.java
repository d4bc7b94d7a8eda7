package org.postern.config;

import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One named address-rewriting rule set, {@code postern.rewriting.<name>}, which a mailer's
 * {@code sender} ({@code S=}) or {@code recipient} ({@code R=}) field names. The parts apply in
 * sendmail's order: domain table, generics table, masquerading; see {@code org.postern.rewriting.RuleSet}.
 * At least one part must be set.
 *
 * @param domainTable {@code FEATURE(domaintable)}: old domain → new domain (exact match)
 * @param generics    {@code FEATURE(genericstable)}
 * @param masquerade  {@code MASQUERADE_AS} and its companions
 */
public record RewritingProperties(
        Map<String, String> domainTable,
        @DefaultValue @Valid GenericsProperties generics,
        @DefaultValue @Valid MasqueradeProperties masquerade) {

    public RewritingProperties {
        domainTable = domainTable == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(domainTable));
    }
}
