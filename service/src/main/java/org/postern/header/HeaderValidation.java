package org.postern.header;

import java.util.Objects;

/**
 * {@code HName: $>Ruleset} or {@code HName: $>+Ruleset}: header {@code name} is checked by the
 * ruleset as the message is received. {@code *} binds the default ruleset, used for every header
 * without its own.
 *
 * @param name         the header name, or {@code *}
 * @param ruleset      the ruleset's name, a key of {@code postern.header-checks}
 * @param keepComments {@code $>+}: the value is checked with its RFC 5322 comments; with {@code $>}
 *                     they are removed first
 */
public record HeaderValidation(String name, String ruleset, boolean keepComments) implements HeaderLine {

    public HeaderValidation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ruleset, "ruleset");
        if (!name.equals("*") && !HeaderRule.isFieldName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a header name");
        }
        if (!isRulesetName(ruleset)) {
            throw new IllegalArgumentException("'" + ruleset + "' is not a ruleset name (letters, digits and '_')");
        }
    }

    public boolean isDefault() {
        return name.equals("*");
    }

    @Override
    public String line() {
        return "H" + name + ": $>" + (keepComments ? "+" : "") + ruleset;
    }

    static boolean isRulesetName(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9' || c == '_');
    }
}
