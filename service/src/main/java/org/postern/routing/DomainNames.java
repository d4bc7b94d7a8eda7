package org.postern.routing;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normal form and syntax of the host and domain names that routing compares. */
final class DomainNames {

    /** LDH labels (underscore allowed, as some internal names use it), at most 63 characters. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");

    private DomainNames() {
    }

    /**
     * Lower case, A-labels for internationalised names, no trailing dot.
     *
     * @throws IllegalArgumentException saying why {@code name} is not a domain name
     */
    static String normalize(String name) {
        String text = name.trim();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty domain name");
        }
        if (text.startsWith(".") || text.contains("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid domain name (empty label)");
        }
        try {
            text = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a valid domain name");
        }
        if (text.length() > 253) {
            throw new IllegalArgumentException("'" + name + "' is longer than 253 characters");
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a valid domain name"
                        + (label.isEmpty() ? " (empty label)" : " (bad label '" + label + "')"));
            }
        }
        return text;
    }

    /** {@link #normalize}, or null when {@code name} is not a domain name (an address literal, say). */
    static String normalizeOrNull(String name) {
        try {
            return normalize(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
