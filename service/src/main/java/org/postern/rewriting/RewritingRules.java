package org.postern.rewriting;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;

/**
 * The named rule sets of {@code postern.rewriting}, and the check that what a mailer's {@code S=}
 * and {@code R=} name exists: a name that is not defined fails startup naming the property.
 *
 * <p>The rule sets sendmail's {@code smtp.m4} mailers name ({@link #STANDARD}: {@code EnvFromSMTP},
 * {@code HdrFromSMTP}, {@code EnvToSMTP}, {@code MasqSMTP}, {@code MasqRelay}) always exist. Left
 * undefined, each does what sendmail's does without masquerading or generics features: it
 * qualifies an unqualified address with the relay's own name ({@code $j}) and changes nothing
 * else. Defining one under {@code postern.rewriting} is how sendmail's global features are
 * expressed: {@code HdrFromSMTP} with {@code masquerade} is {@code MASQUERADE_AS};
 * {@code EnvFromSMTP} with the same is {@code FEATURE(masquerade_envelope)}.
 */
public final class RewritingRules {

    /** The rule set names of sendmail's SMTP mailers (cf/mailer/smtp.m4). */
    public static final Set<String> STANDARD = Set.of("EnvFromSMTP", "HdrFromSMTP", "EnvToSMTP", "MasqSMTP",
            "MasqRelay");

    private final Map<String, RuleSet> byName;

    /**
     * @param defined   the rule sets of {@code postern.rewriting}
     * @param localHost the relay's own name ({@code $j}), for the standard rule sets left undefined
     */
    public RewritingRules(Map<String, RuleSet> defined, String localHost) {
        // Names are compared without case: an environment variable or a relaxed Spring key may
        // carry a defined name in another case than the M line that refers to it.
        Map<String, RuleSet> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : STANDARD) {
            all.put(name, new RuleSet(name, Map.of(), null, null, localHost));
        }
        Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        defined.forEach((name, set) -> {
            String other = seen.put(name, name);
            if (other != null) {
                throw new IllegalArgumentException("postern.rewriting: rule sets '" + other + "' and '" + name
                        + "' differ only in case");
            }
            all.put(name, set);
        });
        this.byName = Collections.unmodifiableMap(all);
    }

    /**
     * The rewriting of {@code mailer}, from its {@code S=} and {@code R=}.
     *
     * @throws IllegalArgumentException naming {@code postern.mailers.<mailer>.sender} or
     *                                  {@code .recipient} and the unknown rule set
     */
    public MailerRewriting forMailer(MailerDefinition mailer) {
        RewritingRef s = mailer.senderRewriting();
        RewritingRef r = mailer.recipientRewriting();
        String where = "postern.mailers." + mailer.name();
        return new MailerRewriting(find(s.envelope(), where + ".sender"), find(s.header(), where + ".sender"),
                find(r.envelope(), where + ".recipient"), find(r.header(), where + ".recipient"));
    }

    /** The rewriting of every mailer, checked. */
    public MailerRewritings forMailers(Mailers mailers) {
        Map<String, MailerRewriting> byMailer = new LinkedHashMap<>();
        for (String name : mailers.names()) {
            byMailer.put(name, forMailer(mailers.get(name)));
        }
        return new MailerRewritings(byMailer);
    }

    private RuleSet find(String name, String property) {
        if (name == null) {
            return null;
        }
        RuleSet set = byName.get(name);
        if (set == null) {
            throw new IllegalArgumentException(property + ": no rewriting rule set named '" + name
                    + "' (defined: " + String.join(", ", new TreeSet<>(byName.keySet())) + ")");
        }
        return set;
    }

    public Map<String, RuleSet> ruleSets() {
        return byName;
    }
}
