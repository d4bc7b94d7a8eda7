package org.postern.rewriting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.postern.config.GenericsProperties;
import org.postern.config.MasqueradeProperties;
import org.postern.config.PosternProperties;
import org.postern.config.RewritingProperties;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;
import org.postern.smtp.server.SmtpServerConfiguration;

/**
 * Builds {@code postern.rewriting}'s rule sets (reading generics files), failing, naming the
 * property, on anything it cannot use. Called by the runtime configuration factory at startup
 * and at each refresh, so rewriting refreshes together with the mailers that name it.
 */
public final class RuleSets {

    private RuleSets() {
    }


    /**
     * The rule sets of {@code postern.rewriting}.
     *
     * @param localHost the relay's own name ({@code $j}), which qualifies what stays unqualified
     * @throws IllegalArgumentException naming the property and the reason
     */
    public static Map<String, RuleSet> build(Map<String, RewritingProperties> properties, String localHost) {
        Map<String, RuleSet> sets = new LinkedHashMap<>();
        properties.forEach((name, p) -> sets.put(name, ruleSet(name, p, localHost)));
        return sets;
    }

    private static RuleSet ruleSet(String name, RewritingProperties p, String localHost) {
        String where = "postern.rewriting." + name;
        if (!name.matches("[A-Za-z0-9_.-]+") || name.equals("0")) {
            throw new IllegalArgumentException(where + ": '" + name
                    + "' cannot name a rule set (letters, digits, '.', '_' and '-'; 0 means none)");
        }
        p.domainTable().forEach((from, to) -> {
            domain(from, where + ".domain-table");
            domain(to, where + ".domain-table[" + from + "]");
        });
        GenericsTable generics = generics(p.generics(), where + ".generics");
        Masquerade masquerade = masquerade(p.masquerade(), where + ".masquerade");
        if (p.domainTable().isEmpty() && generics == null && masquerade == null) {
            throw new IllegalArgumentException(where + ": defines no rewriting (set domain-table, generics or "
                    + "masquerade.as)");
        }
        return new RuleSet(name, p.domainTable(), generics, masquerade, localHost);
    }

    private static GenericsTable generics(GenericsProperties g, String where) {
        if (!g.isSet()) {
            if (!g.domains().isEmpty()) {
                throw new IllegalArgumentException(where + ".domains: set, but there is no table (entries or file)");
            }
            return null;
        }
        g.domains().forEach(d -> domain(d, where + ".domains"));
        List<String> lines = new ArrayList<>(g.entries());
        Map<String, String> entries = new LinkedHashMap<>(GenericsTable.parseSource(lines, where + ".entries"));
        if (g.file() != null) {
            Map<String, String> fromFile;
            try {
                fromFile = GenericsTable.load(g.file());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".file: " + e.getMessage(), e);
            }
            for (Map.Entry<String, String> e : fromFile.entrySet()) {
                if (entries.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException(where + ".file: key '" + e.getKey() + "' of " + g.file()
                            + " is also in " + where + ".entries");
                }
            }
        }
        try {
            return new GenericsTable(new LinkedHashSet<>(g.domains()), g.entireDomain(), entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Masquerade masquerade(MasqueradeProperties m, String where) {
        if (!m.isSet()) {
            if (!m.domains().isEmpty() || !m.exceptions().isEmpty() || !m.exposedUsers().isEmpty()
                    || m.entireDomain()) {
                throw new IllegalArgumentException(where + ".as: required when other masquerade settings are given "
                        + "(MASQUERADE_DOMAIN and its companions need MASQUERADE_AS)");
            }
            return null;
        }
        domain(m.as(), where + ".as");
        m.domains().forEach(d -> domain(d, where + ".domains"));
        m.exceptions().forEach(d -> domain(d, where + ".exceptions"));
        return new Masquerade(m.as(), new LinkedHashSet<>(m.domains()), m.entireDomain(),
                new LinkedHashSet<>(m.exceptions()), new LinkedHashSet<>(m.exposedUsers()), m.unqualified());
    }

    /** Checks that {@code name} is a domain an address can have (UTF-8 labels allowed). */
    private static void domain(String name, String property) {
        try {
            MailAddress a = MailAddress.parseMailbox("x@" + name.strip(), true);
            if (a.domain().startsWith("[")) {
                throw new AddressException("an address literal");
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException(property + ": '" + name + "' is not a domain name (" + e.getMessage()
                    + ")");
        }
    }
}
