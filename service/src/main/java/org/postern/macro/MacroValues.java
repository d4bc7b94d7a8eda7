package org.postern.macro;

import java.util.Map;

/**
 * The values macros expand to in one context (a session at receipt, a transaction at delivery):
 * sendmail's macro table. A macro is named by one character ({@code j}) or a word ({@code
 * client_addr}); {@code $x} and {@code ${x}} name the same macro, so names are given here without
 * braces.
 */
@FunctionalInterface
public interface MacroValues {

    /** No macro is set. */
    MacroValues NONE = name -> null;

    /** The value of the macro, or null when it is not set. */
    String get(String name);

    /** Whether the macro is set and non-empty: the test of {@code $?x} and of {@code H?${x}?}. */
    default boolean isSet(String name) {
        String value = get(name);
        return value != null && !value.isEmpty();
    }

    /** These values, and {@code fallback}'s for the macros these leave unset. */
    default MacroValues or(MacroValues fallback) {
        return name -> {
            String value = get(name);
            return value != null ? value : fallback.get(name);
        };
    }

    static MacroValues of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return copy::get;
    }
}
