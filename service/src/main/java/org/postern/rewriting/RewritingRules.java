package org.postern.rewriting;

import java.util.Map;
import java.util.TreeSet;

/**
 * The named rule sets of {@code postern.rewriting}, and the check that what a mailer's {@code S=}
 * and {@code R=} name exists: a name that is not defined fails startup naming the property, as
 * sendmail refuses a mailer that names an undefined rule set.
 */
public final class RewritingRules {

    private final Map<String, RuleSet> byName;

    public RewritingRules(Map<String, RuleSet> byName) {
        this.byName = Map.copyOf(byName);
    }

    /**
     * The rewriting of mailer {@code mailer}. Each argument is a rule set name or null for none.
     *
     * @throws IllegalArgumentException naming {@code postern.mailers.<mailer>.sender} or
     *                                  {@code .recipient} and the unknown rule set
     */
    public MailerRewriting forMailer(String mailer, String senderEnvelope, String senderHeader,
            String recipientEnvelope, String recipientHeader) {
        String where = "postern.mailers." + mailer;
        return new MailerRewriting(find(senderEnvelope, where + ".sender"), find(senderHeader, where + ".sender"),
                find(recipientEnvelope, where + ".recipient"), find(recipientHeader, where + ".recipient"));
    }

    private RuleSet find(String name, String property) {
        if (name == null) {
            return null;
        }
        RuleSet set = byName.get(name);
        if (set == null) {
            throw new IllegalArgumentException(property + ": no rewriting rule set named '" + name + "'"
                    + (byName.isEmpty() ? " (postern.rewriting defines none)"
                            : " (defined: " + String.join(", ", new TreeSet<>(byName.keySet())) + ")"));
        }
        return set;
    }

    public Map<String, RuleSet> ruleSets() {
        return byName;
    }
}
