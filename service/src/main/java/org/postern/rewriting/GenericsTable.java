package org.postern.rewriting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;

/**
 * sendmail's {@code FEATURE(genericstable)}: a map from an address to its "generic" form, which
 * may change both the local part and the domain. Only unqualified addresses and addresses in the
 * {@code GENERICS_DOMAIN}s (class {@code {G}}; with {@code FEATURE(generics_entire_domain)} their
 * subdomains too) are looked up, with the keys sendmail tries, in its order:
 * <ol>
 * <li>the full address, {@code user+detail@domain};</li>
 * <li>with a {@code +detail}: {@code user+*@domain} (the detail is {@code %1} in the value), then
 *     {@code user@domain};</li>
 * <li>{@code @domain} (the whole local part is {@code %1});</li>
 * <li>the local part alone, {@code user+detail}, then {@code user+*} ({@code %1} the detail), then
 *     {@code user}.</li>
 * </ol>
 * Keys are matched without regard to case, as {@code makemap} folds them to lower case. A value
 * without a domain is qualified by the rule set (masquerade host, or the relay's own name).
 *
 * @param domains      {@code GENERICS_DOMAIN}, lower case
 * @param entireDomain {@code FEATURE(generics_entire_domain)}
 * @param entries      key (lower case) → value, as in the table
 */
public record GenericsTable(Set<String> domains, boolean entireDomain, Map<String, String> entries) {

    public GenericsTable {
        domains = Masquerade.lowerCase(domains);
        Map<String, String> lower = new HashMap<>();
        entries.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        entries = Map.copyOf(lower);
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String problem = checkValue(e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException("value of '" + e.getKey() + "': " + problem);
            }
        }
    }

    /** The generic form of {@code address}, or empty when the table has none for it. */
    Optional<MailAddress> lookup(MailAddress address) {
        String local = address.localPart();
        String lowerLocal = local.toLowerCase(Locale.ROOT);
        int plus = local.startsWith("\"") ? -1 : local.indexOf('+');
        String base = plus > 0 ? lowerLocal.substring(0, plus) : null;
        String detail = plus > 0 ? local.substring(plus + 1) : null;
        if (address.isQualified()) {
            String domain = address.domainLowerCase();
            if (!Masquerade.within(domain, domains, entireDomain)) {
                return Optional.empty();
            }
            String found = find(lowerLocal + "@" + domain, null);
            if (found == null && base != null) {
                found = find(base + "+*@" + domain, detail);
                if (found == null) {
                    found = find(base + "@" + domain, null);
                }
            }
            if (found == null) {
                found = find("@" + domain, local);
            }
            if (found != null) {
                return parsed(found);
            }
        }
        String found = find(lowerLocal, null);
        if (found == null && base != null) {
            found = find(base + "+*", detail);
            if (found == null) {
                found = find(base, null);
            }
        }
        return found == null ? Optional.empty() : parsed(found);
    }

    private String find(String key, String argument) {
        String value = entries.get(key);
        if (value == null) {
            return null;
        }
        return argument == null ? value.replace("%1", "") : value.replace("%1", argument);
    }

    private static Optional<MailAddress> parsed(String value) {
        try {
            return Optional.of(MailAddress.parseMailbox(value, true));
        } catch (AddressException e) {
            return Optional.empty(); // cannot happen for values checked at load, whatever %1 became
        }
    }

    /** Why {@code value} cannot be a generic address (with {@code %1} standing for a local part), or null. */
    private static String checkValue(String value) {
        try {
            MailAddress.parseMailbox(value.replace("%1", "x"), true);
            return null;
        } catch (AddressException e) {
            return "'" + value + "' is not an address (" + e.getMessage() + ")";
        }
    }

    /**
     * Reads a table in {@code makemap}'s text source format: one entry per line, the key, white
     * space, the value; empty lines and lines starting with {@code #} are skipped. A line without a
     * value or a repeated key is an error (makemap refuses both unless told otherwise).
     *
     * @param source names the table in error messages, e.g. the file
     * @throws IllegalArgumentException naming the source and the line
     */
    public static Map<String, String> parseSource(List<String> lines, String source) {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int ws = 0;
            while (ws < line.length() && !Character.isWhitespace(line.charAt(ws))) {
                ws++;
            }
            String key = line.substring(0, ws).toLowerCase(Locale.ROOT);
            String value = line.substring(ws).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + n + ": key '" + key + "' has no value");
            }
            Integer first = firstLine.putIfAbsent(key, n);
            if (first != null) {
                throw new IllegalArgumentException(source + " line " + n + ": duplicate key '" + key
                        + "' (first on line " + first + ")");
            }
            String problem = checkValue(value);
            if (problem != null) {
                throw new IllegalArgumentException(source + " line " + n + ": " + problem);
            }
            entries.put(key, value);
        }
        return entries;
    }

    /** {@link #parseSource} of a file, read as UTF-8. */
    public static Map<String, String> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parseSource(lines, file.toString());
    }
}
