package org.postern.config;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One header line, {@code postern.headers[n]}: either sendmail's {@code H} line as a plain string
 * ({@code "H?D?Date: $a"}, {@code "HSubject: $>CheckSubject"}), bound through {@link #valueOf}, or
 * its parts. Both become the same line, parsed by {@code org.postern.header.HeaderLineParser}.
 *
 * @param line         the whole sendmail line; given alone
 * @param name         the header name ({@code *} for the default check)
 * @param flags        {@code ?mflags?}: added only for mailers with one of these flags
 * @param macro        {@code ?${macro}?}: added only when this macro is set (name without braces)
 * @param template     the value, with sendmail macros; line breaks followed by whitespace are
 *                     continuation lines
 * @param check        {@code $>Ruleset}: check the header with this {@code postern.header-checks}
 *                     ruleset instead of adding it
 * @param keepComments {@code $>+}: check the value with its comments
 */
public record HeaderRuleProperties(
        String line,
        String name,
        String flags,
        String macro,
        String template,
        String check,
        @DefaultValue("false") boolean keepComments) {

    /** A native H line given as a plain string in a list of header rules. */
    public static HeaderRuleProperties valueOf(String line) {
        return new HeaderRuleProperties(line, null, null, null, null, null, false);
    }

    /**
     * The sendmail line this entry stands for.
     *
     * @throws IllegalArgumentException when the parts do not make one line (the caller names the property)
     */
    public String toLine() {
        if (line != null) {
            if (name != null || flags != null || macro != null || template != null || check != null || keepComments) {
                throw new IllegalArgumentException("give either line or name/flags/macro/template/check, not both");
            }
            return line;
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required (or give the whole H line as a string)");
        }
        if (check != null && (template != null || flags != null || macro != null)) {
            throw new IllegalArgumentException("check binds a header check: it takes no template, flags or macro");
        }
        if (flags != null && macro != null) {
            throw new IllegalArgumentException("give flags or macro, not both: a header line takes one condition");
        }
        if (check == null && keepComments) {
            throw new IllegalArgumentException("keep-comments applies only with check");
        }
        String condition = flags != null ? "?" + flags + "?" : "";
        condition += macro != null ? "?${" + macro + "}?" : "";
        String value = check != null ? "$>" + (keepComments ? "+" : "") + check : template == null ? "" : template;
        return "H" + condition + name + ": " + value;
    }
}
