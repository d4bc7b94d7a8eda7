package org.postern.sendmailcf;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the imported configuration as YAML: maps in insertion order (the importer builds them in a
 * fixed order, so the same cf always gives the same text), block style, strings quoted unless they
 * are plain words, and a comment above any value wrapped in {@link Commented} (the cf line it came
 * from). Hand-written rather than a YAML library's dump so the layout and the comments are ours.
 */
public final class PosternYaml {

    /** A value with a comment written on the line(s) above it. */
    public record Commented(String comment, Object value) {
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PLAIN_STRING = Pattern.compile("[A-Za-z][A-Za-z0-9._/-]*");
    private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off",
            "null");

    private PosternYaml() {
    }

    /**
     * @param comments lines written first, each starting with {@code #}
     * @param root     the document: a map of String to String, Number, Boolean, List, Map or {@link Commented}
     */
    public static String write(List<String> comments, Map<String, ?> root) {
        StringBuilder out = new StringBuilder();
        comments.forEach(c -> out.append(c).append('\n'));
        writeMap(out, root, 0);
        return out.toString();
    }

    private static void writeMap(StringBuilder out, Map<String, ?> map, int indent) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object value = e.getValue();
            if (value instanceof Commented c) {
                comment(out, c.comment(), indent);
                value = c.value();
            }
            pad(out, indent).append(key(e.getKey())).append(':');
            writeValue(out, value, indent);
        }
    }

    /** Writes what follows "key:" or "-": a scalar on the same line, or a block on the next ones. */
    private static void writeValue(StringBuilder out, Object value, int indent) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            out.append('\n');
            @SuppressWarnings("unchecked")
            Map<String, ?> map = (Map<String, ?>) m;
            writeMap(out, map, indent + 2);
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            out.append('\n');
            for (Object item : l) {
                if (item instanceof Commented c) {
                    comment(out, c.comment(), indent + 2);
                    item = c.value();
                }
                pad(out, indent + 2).append("- ");
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    // The first key on the dash's line, the others under it.
                    StringBuilder block = new StringBuilder();
                    @SuppressWarnings("unchecked")
                    Map<String, ?> map = (Map<String, ?>) m;
                    writeMap(block, map, indent + 4);
                    out.append(block.substring(indent + 4));
                } else {
                    out.append(scalar(item)).append('\n');
                }
            }
        } else {
            out.append(' ').append(scalar(value)).append('\n');
        }
    }

    private static void comment(StringBuilder out, String comment, int indent) {
        for (String line : comment.split("\n")) {
            pad(out, indent).append("# ").append(line).append('\n');
        }
    }

    private static StringBuilder pad(StringBuilder out, int indent) {
        return out.append(" ".repeat(indent));
    }

    private static String key(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : quote(key);
    }

    static String scalar(Object value) {
        if (value instanceof Map<?, ?>) {
            return "{}";
        }
        if (value instanceof List<?>) {
            return "[]";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String s = String.valueOf(value);
        return PLAIN_STRING.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(java.util.Locale.ROOT))
                ? s : quote(s);
    }

    /** A YAML double-quoted string: backslash, quote and control characters escaped. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
