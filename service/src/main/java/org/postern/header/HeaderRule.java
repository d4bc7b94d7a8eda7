package org.postern.header;

import java.util.Locale;
import java.util.Objects;
import org.postern.macro.MacroNames;
import org.postern.macro.MacroTemplate;
import org.postern.macro.MacroValues;
import org.postern.mailer.MailerDefinition;

/**
 * A header rule, sendmail's {@code H[?mflags?|?${macro}?]Name: template}: the header {@code name}
 * is added to a message that does not have it, when the condition holds, with the template's
 * macro expansion as its value. Line breaks in the template (a break followed by a space or tab)
 * are continuation lines and are kept.
 *
 * @param name           the header field name
 * @param mailerFlags    {@code ?mflags?}: the header is added only for a mailer that has at least
 *                       one of these flags; null for no mailer condition
 * @param macroCondition {@code ?${macro}?}: the header is added only when this macro is set; null
 *                       for no macro condition
 * @param template       the value, macro-expanded when the header is added
 */
public record HeaderRule(String name, String mailerFlags, String macroCondition, MacroTemplate template)
        implements HeaderLine {

    public HeaderRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        if (!isFieldName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a header name (printable ASCII without"
                    + " spaces or ':')");
        }
        if (name.equals("*")) {
            throw new IllegalArgumentException("'*' names the default header check and takes only $>Ruleset");
        }
        if (mailerFlags != null) {
            if (mailerFlags.isEmpty()) {
                throw new IllegalArgumentException("an empty ?? mailer flag condition");
            }
            for (int i = 0; i < mailerFlags.length(); i++) {
                char c = mailerFlags.charAt(i);
                if (!isMailerFlag(c)) {
                    throw new IllegalArgumentException("unknown mailer flag '" + c + "' in ?" + mailerFlags
                            + "? (mailer flags are letters, digits and : | / @ % !)");
                }
            }
        }
        if (macroCondition != null) {
            macroCondition = MacroNames.normalize(macroCondition);
            if (!MacroNames.isLongName(macroCondition)) {
                throw new IllegalArgumentException("'" + macroCondition + "' is not a macro name");
            }
            if (mailerFlags != null) {
                throw new IllegalArgumentException("a header line takes a mailer flag condition or a macro condition,"
                        + " not both");
            }
        }
        String source = template.source();
        for (int i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) {
            if (i + 1 >= source.length() || source.charAt(i + 1) != ' ' && source.charAt(i + 1) != '\t') {
                throw new IllegalArgumentException("a line break in the value of " + name + " must be followed by a"
                        + " space or tab (a continuation line)");
            }
        }
        // The template's own text goes into the header as it is (macro values are made safe when
        // inserted), so a NUL or a bare CR in it would reach the next hop.
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c < 32 && c != '\t' && c != '\n' || c == 127) {
                throw new IllegalArgumentException(String.format("control character U+%04X in the value of %s (a"
                        + " header value is text, RFC 5322 §2.2)", (int) c, name));
            }
        }
    }

    /** A rule without conditions. */
    public static HeaderRule of(String name, String template) {
        return new HeaderRule(name, null, null, MacroTemplate.parse(template));
    }

    /** A {@code Resent-*} header: added only to a message that has been resent (has some Resent- field). */
    public boolean resent() {
        return isResent(name);
    }

    static boolean isResent(String fieldName) {
        return fieldName.regionMatches(true, 0, "Resent-", 0, 7);
    }

    /** Whether the mailer condition holds: no {@code ?mflags?}, or the mailer has one of the flags. */
    public boolean mailerConditionHolds(MailerDefinition mailer) {
        if (mailerFlags == null) {
            return true;
        }
        for (int i = 0; i < mailerFlags.length(); i++) {
            if (mailer.hasFlag(mailerFlags.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the macro condition holds: no {@code ?${macro}?}, or the macro is set. */
    public boolean macroConditionHolds(MacroValues macros) {
        return macroCondition == null || macros.isSet(macroCondition);
    }

    /**
     * The header this rule adds with {@code macros}, or null when the expansion is blank (sendmail
     * skips a header whose value expands to nothing; an empty template disables a rule). Macro
     * values cannot break the header: control characters in them become {@code ?}, and
     * continuation lines left blank by a conditional are dropped.
     */
    public HeaderField render(MacroValues macros) {
        String expanded = template.expand(macros, HeaderRule::headerSafe);
        String[] lines = expanded.split("\n", -1);
        StringBuilder value = new StringBuilder(expanded.length());
        value.append(lines[0].strip());
        boolean any = !lines[0].isBlank();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                value.append('\n').append(lines[i].stripTrailing());
                any = true;
            }
        }
        return any ? HeaderField.of(name, value.toString()) : null;
    }

    /** A macro value inside a header: no line breaks or other control characters. */
    static String headerSafe(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 32 && c != '\t' || c == 127) {
                if (out == null) {
                    out = new StringBuilder(value);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? value : out.toString();
    }

    @Override
    public String line() {
        String condition = mailerFlags != null ? "?" + mailerFlags + "?"
                : macroCondition != null ? "?${" + macroCondition + "}?" : "";
        return "H" + condition + name + ": " + template.source();
    }

    /** Whether the rule is for header {@code other} (names are case-insensitive). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The lower-case name, for lookups. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** RFC 5322 ftext: printable ASCII except the colon. */
    static boolean isFieldName(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
    }

    /**
     * A character a mailer's {@code F=} can hold: sendmail's flags are letters, digits and the
     * punctuation flags {@code : | / @ % !}; any letter may be used freely for header conditions
     * (operations guide §5.4).
     */
    static boolean isMailerFlag(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ":|/@%!".indexOf(c) >= 0;
    }
}
