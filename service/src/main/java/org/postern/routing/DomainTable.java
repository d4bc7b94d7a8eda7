package org.postern.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table keyed by domain with sendmail mailertable matching, generic so routes and TLS policies
 * share it. Keys, compared case-insensitively and without a trailing dot:
 * <ul>
 * <li>{@code example.com} matches exactly that domain;</li>
 * <li>{@code .example.com} matches any subdomain ({@code a.example.com}, {@code b.a.example.com}),
 *     not {@code example.com} itself;</li>
 * <li>{@code .} alone matches any domain no other key matches (sendmail's catch-all).</li>
 * </ul>
 * The most qualified match wins: an exact key, then the longest {@code .suffix}, then {@code .}.
 * Immutable and thread-safe.
 */
public final class DomainTable<T> {

    private static final DomainTable<?> EMPTY = new DomainTable<>(Map.of());

    private final Map<String, T> exact = new HashMap<>();
    /** Keyed by the suffix without its leading dot. */
    private final Map<String, T> subdomains = new HashMap<>();
    private final T catchAll;
    private final int size;

    /**
     * @throws IllegalArgumentException naming the key that is empty, not a domain name, or a
     *                                  duplicate of another once normalised
     */
    public DomainTable(Map<String, ? extends T> entries) {
        T any = null;
        for (Map.Entry<String, ? extends T> e : entries.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                throw new IllegalArgumentException("domain '" + key + "' has no value");
            }
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("empty domain key");
            }
            String k = key.trim();
            if (k.equals(".")) {
                if (any != null) {
                    throw new IllegalArgumentException("duplicate domain key '.'");
                }
                any = e.getValue();
                continue;
            }
            if (k.startsWith("*.")) {
                throw new IllegalArgumentException("domain key '" + key + "': write '" + k.substring(1)
                        + "' to match subdomains");
            }
            boolean subdomain = k.startsWith(".");
            String name;
            try {
                name = DomainNames.normalize(subdomain ? k.substring(1) : k);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("domain key '" + key + "': " + ex.getMessage());
            }
            if ((subdomain ? subdomains : exact).putIfAbsent(name, e.getValue()) != null) {
                throw new IllegalArgumentException("duplicate domain key '" + key + "'");
            }
        }
        this.catchAll = any;
        this.size = entries.size();
    }

    @SuppressWarnings("unchecked")
    public static <T> DomainTable<T> empty() {
        return (DomainTable<T>) EMPTY;
    }

    /** The value for {@code domain} by the rules above; a name that is not a domain only matches {@code .}. */
    public Optional<T> lookup(String domain) {
        Objects.requireNonNull(domain, "domain");
        String name = DomainNames.normalizeOrNull(domain);
        if (name != null) {
            T value = exact.get(name);
            if (value != null) {
                return Optional.of(value);
            }
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                value = subdomains.get(name.substring(dot + 1)); // longest suffix first
                if (value != null) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.ofNullable(catchAll);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
