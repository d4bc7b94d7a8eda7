package org.postern.sendmailcf;

import java.util.List;

/**
 * A rule set of a {@code sendmail.cf}: its {@code S} line and the {@code R} lines that follow it.
 *
 * @param name  the name ({@code SCheckSubject}, {@code Scanonify=3}: {@code canonify}; a numbered
 *              {@code S98}: {@code 98})
 * @param line  the {@code S} line
 * @param rules the {@code R} lines, in order
 */
public record CfRuleset(String name, CfLine line, List<CfLine> rules) {

    public CfRuleset {
        rules = List.copyOf(rules);
    }

    /** The line numbers the rule set covers, for the report: {@code 120} or {@code 120-131}. */
    public String lineRange() {
        int last = rules.isEmpty() ? line.number() : rules.get(rules.size() - 1).number();
        return last == line.number() ? String.valueOf(last) : line.number() + "-" + last;
    }
}
