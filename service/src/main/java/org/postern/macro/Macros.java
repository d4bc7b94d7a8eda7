package org.postern.macro;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable set of macro values, built up by whoever knows them (the session, the queue, the
 * configuration). A null value is simply not set, as sendmail leaves a macro it cannot fill.
 */
public final class Macros implements MacroValues {

    public static final Macros EMPTY = new Macros(Map.of());

    private final Map<String, String> values;

    private Macros(Map<String, String> values) {
        this.values = values;
    }

    @Override
    public String get(String name) {
        return values.get(name);
    }

    /** The macros set here, by name (without braces). */
    public Map<String, String> asMap() {
        return values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that takes names with or without braces and ignores null values. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String name, String value) {
            if (value != null) {
                values.put(MacroNames.normalize(name), value);
            }
            return this;
        }

        public Builder putAll(Map<String, String> more) {
            more.forEach(this::put);
            return this;
        }

        public Macros build() {
            return new Macros(Map.copyOf(values));
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
