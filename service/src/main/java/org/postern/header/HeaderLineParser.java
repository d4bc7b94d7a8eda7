package org.postern.header;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.macro.MacroNames;
import org.postern.macro.MacroTemplate;

/**
 * Parses a sendmail {@code H} line, as it stands in sendmail.cf, into a {@link HeaderLine}:
 * <pre>
 *   H?D?Date: $a                          a rule with a mailer flag condition
 *   H?${MyMacro}?X-Info: $j               a rule with a macro condition
 *   HReceived: $?sfrom $s $.…             a rule; continuation lines (a line break, then a space
 *   	$.by $j …                         or tab) are part of the value
 *   HSubject: $>CheckSubject              a header check, comments removed from the value
 *   HSubject: $>+CheckSubject             a header check, comments kept
 *   H*: $>CheckAll                        the default header check
 * </pre>
 * CRLF line breaks are taken as LF, trailing whitespace is ignored, and whitespace after the colon
 * is skipped, as sendmail's readcf does.
 */
public final class HeaderLineParser {

    private static final Pattern RULESET_CALL = Pattern.compile("\\$>(\\+?)(\\S*)");

    private HeaderLineParser() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the line (the caller adds the property)
     */
    public static HeaderLine parse(String line) {
        String s = line.replace("\r\n", "\n").stripTrailing();
        if (s.isEmpty() || s.charAt(0) != 'H') {
            throw new IllegalArgumentException("a header line starts with 'H' (e.g. \"H?D?Date: $a\"): \"" + line + "\"");
        }
        int pos = 1;
        String flags = null;
        String macro = null;
        if (pos < s.length() && s.charAt(pos) == '?') {
            int close = s.indexOf('?', pos + 1);
            if (close < 0) {
                throw new IllegalArgumentException("the condition ?…? is not closed: \"" + line + "\"");
            }
            String condition = s.substring(pos + 1, close);
            if (condition.startsWith("$")) {
                if (!condition.startsWith("${") || !condition.endsWith("}") || condition.length() < 4) {
                    throw new IllegalArgumentException("a macro condition is written ?${name}?, not ?" + condition
                            + "?: \"" + line + "\"");
                }
                macro = MacroNames.normalize(condition.substring(1));
            } else {
                flags = condition;
            }
            pos = close + 1;
        }
        int colon = s.indexOf(':', pos);
        if (colon < 0) {
            throw new IllegalArgumentException("no ':' after the header name: \"" + line + "\"");
        }
        String name = s.substring(pos, colon);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no header name before ':': \"" + line + "\"");
        }
        int v = colon + 1;
        while (v < s.length() && Character.isWhitespace(s.charAt(v))) {
            v++;
        }
        String value = s.substring(v);
        if (value.startsWith("$>")) {
            Matcher m = RULESET_CALL.matcher(value);
            if (!m.matches() || m.group(2).isEmpty()) {
                throw new IllegalArgumentException("a header check is written HName: $>Ruleset or $>+Ruleset, with"
                        + " nothing after the ruleset name: \"" + line + "\"");
            }
            if (flags != null || macro != null) {
                throw new IllegalArgumentException("a header check ($>) takes no ?…? condition: \"" + line + "\"");
            }
            return new HeaderValidation(name, m.group(2), !m.group(1).isEmpty());
        }
        if (name.equals("*")) {
            throw new IllegalArgumentException("'*' names the default header check; write H*: $>Ruleset: \""
                    + line + "\"");
        }
        return new HeaderRule(name, flags, macro, MacroTemplate.parse(value));
    }
}
