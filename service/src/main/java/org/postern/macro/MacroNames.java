package org.postern.macro;

/**
 * Macro names as sendmail writes them: one character ({@code $j}) or a word in braces
 * ({@code ${client_addr}}). {@code x} and {@code {x}} are the same macro.
 */
public final class MacroNames {

    private MacroNames() {
    }

    /** {@code {x}} → {@code x}; a name without braces is returned as it is. */
    public static String normalize(String name) {
        if (name.length() >= 2 && name.charAt(0) == '{' && name.charAt(name.length() - 1) == '}') {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

    /** How the macro is written in a template: {@code $j} or {@code ${client_addr}}. */
    public static String display(String name) {
        return name.length() == 1 ? "$" + name : "${" + name + "}";
    }

    /** A long name's characters: letters, digits and underscore (sendmail's macro words). */
    public static boolean isLongName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** A one-character name: a letter or {@code _} (digits and punctuation are rewriting-rule operators). */
    static boolean isShortName(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    /**
     * Whether an operator may define the macro ({@code postern.macros}): sendmail reserves lower
     * case and punctuation for itself, so user macros are an upper-case letter or a word starting
     * with one.
     */
    public static boolean isUserName(String name) {
        return !name.isEmpty() && name.charAt(0) >= 'A' && name.charAt(0) <= 'Z'
                && (name.length() == 1 || isLongName(name));
    }
}
