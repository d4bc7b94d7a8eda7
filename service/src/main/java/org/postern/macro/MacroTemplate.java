package org.postern.macro;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A text with sendmail macro references, parsed once and expanded many times. The syntax is the
 * operations guide's (§5.2):
 * <ul>
 * <li>{@code $x} — the one-character macro {@code x} (a letter or {@code _});</li>
 * <li>{@code ${name}} — a macro with a long name;</li>
 * <li>{@code $&x}, {@code $&{name}} — deferred expansion, which in sendmail matters only in rewriting
 *     rules; here it is the same as {@code $x};</li>
 * <li>{@code $?x text1 $| text2 $.} — {@code text1} if {@code x} is set and non-empty, else
 *     {@code text2}; the {@code $|} branch may be left out, and conditionals nest;</li>
 * <li>{@code $$} — a literal {@code $} (a Postern convenience; sendmail has no escape).</li>
 * </ul>
 * Every other {@code $} construct ({@code $>}, {@code $*}, {@code $1}, {@code $=}, …) belongs to
 * rewriting rules and is refused, so a mistake fails at startup instead of appearing in a header.
 * Unset macros expand to the empty string, as in sendmail.
 */
public final class MacroTemplate {

    private sealed interface Node permits Text, Ref, Conditional {
    }

    private record Text(String text) implements Node {
    }

    private record Ref(String name) implements Node {
    }

    private record Conditional(String name, List<Node> then, List<Node> otherwise) implements Node {
    }

    private final String source;
    private final List<Node> nodes;
    private final Set<String> names;

    private MacroTemplate(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
        Set<String> all = new LinkedHashSet<>();
        collect(nodes, all);
        this.names = Collections.unmodifiableSet(all);
    }

    /**
     * Parses {@code source}.
     *
     * @throws MacroSyntaxException naming the problem and its offset
     */
    public static MacroTemplate parse(String source) {
        Parser p = new Parser(source);
        List<Node> nodes = p.sequence(false);
        return new MacroTemplate(source, nodes);
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    /** Every macro the template refers to, in references or conditions, without braces. */
    public Set<String> macroNames() {
        return names;
    }

    /** Expands the template; unset macros give the empty string. */
    public String expand(MacroValues values) {
        return expand(values, UnaryOperator.identity());
    }

    /**
     * Expands the template, passing each macro's value through {@code filter} before it is
     * inserted (e.g. to keep line breaks out of a header); the template's own text is not filtered.
     */
    public String expand(MacroValues values, UnaryOperator<String> filter) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        expand(nodes, values, filter, out);
        return out.toString();
    }

    private static void expand(List<Node> nodes, MacroValues values, UnaryOperator<String> filter, StringBuilder out) {
        for (Node node : nodes) {
            switch (node) {
                case Text t -> out.append(t.text());
                case Ref r -> {
                    String value = values.get(r.name());
                    if (value != null) {
                        out.append(filter.apply(value));
                    }
                }
                case Conditional c -> expand(values.isSet(c.name()) ? c.then() : c.otherwise(), values, filter, out);
            }
        }
    }

    private static void collect(List<Node> nodes, Set<String> into) {
        for (Node node : nodes) {
            switch (node) {
                case Text t -> { }
                case Ref r -> into.add(r.name());
                case Conditional c -> {
                    into.add(c.name());
                    collect(c.then(), into);
                    collect(c.otherwise(), into);
                }
            }
        }
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacroTemplate t && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /**
     * The deepest nesting of {@code $?x} conditionals accepted. Real templates (sendmail's Received
     * header) nest a few levels; the limit keeps parsing and expansion, which recurse once per
     * level, far from the end of the stack whatever a configuration holds.
     */
    static final int MAX_NESTING = 100;

    /** Recursive descent over the template; conditionals are the only nesting. */
    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;
        /** What ended the last sequence inside a conditional: '|', '.' or 0 at the end of the text. */
        private char terminator;

        Parser(String s) {
            this.s = s;
        }

        /** Nodes up to the end, or (inside a conditional) up to {@code $|} or {@code $.}. */
        List<Node> sequence(boolean inConditional) {
            List<Node> nodes = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != '$') {
                    text.append(c);
                    pos++;
                    continue;
                }
                int at = pos;
                if (pos + 1 >= s.length()) {
                    throw error("'$' at the end of the text", at);
                }
                char op = s.charAt(pos + 1);
                switch (op) {
                    case '$' -> {
                        text.append('$');
                        pos += 2;
                    }
                    case '|', '.' -> {
                        if (!inConditional) {
                            throw error("'$" + op + "' outside a $?x conditional", at);
                        }
                        pos += 2;
                        flush(text, nodes);
                        terminator = op;
                        return nodes;
                    }
                    case '?' -> {
                        pos += 2;
                        String name = name(at);
                        flush(text, nodes);
                        if (++depth > MAX_NESTING) {
                            throw error("conditionals nested more than " + MAX_NESTING + " deep", at);
                        }
                        List<Node> then = sequence(true);
                        List<Node> otherwise = List.of();
                        if (terminator == '|') {
                            otherwise = sequence(true);
                            if (terminator == '|') {
                                throw error("a second '$|' in the conditional", at);
                            }
                        }
                        if (terminator != '.') {
                            throw error("the conditional $?" + MacroNames.display(name).substring(1)
                                    + " has no closing '$.'", at);
                        }
                        terminator = 0;
                        depth--;
                        nodes.add(new Conditional(name, List.copyOf(then), List.copyOf(otherwise)));
                    }
                    case '&' -> {
                        pos += 2;
                        String name = name(at);
                        flush(text, nodes);
                        nodes.add(new Ref(name));
                    }
                    default -> {
                        pos += 1;
                        String name = name(at);
                        flush(text, nodes);
                        nodes.add(new Ref(name));
                    }
                }
            }
            flush(text, nodes);
            terminator = 0;
            return nodes;
        }

        /** A macro name at {@code pos}: one character or a word in braces. */
        private String name(int dollarAt) {
            if (pos >= s.length()) {
                throw error("a macro name must follow '" + s.substring(dollarAt) + "'", dollarAt);
            }
            char c = s.charAt(pos);
            if (c == '{') {
                int close = s.indexOf('}', pos);
                if (close < 0) {
                    throw error("'${' without a closing '}'", dollarAt);
                }
                String name = s.substring(pos + 1, close);
                if (!MacroNames.isLongName(name)) {
                    throw error("'{" + name + "}' is not a macro name (letters, digits and '_')", dollarAt);
                }
                pos = close + 1;
                return name.length() == 1 && !MacroNames.isShortName(name.charAt(0)) ? reject(name, dollarAt) : name;
            }
            if (MacroNames.isShortName(c)) {
                pos++;
                return String.valueOf(c);
            }
            return reject(String.valueOf(c), dollarAt);
        }

        private String reject(String what, int at) {
            char c = what.charAt(0);
            String why = c == '>' ? "'$>' calls a ruleset: it is allowed only as the whole value of a header check"
                    + " line (HName: $>Ruleset)"
                    : "*+-=~#@:[]()0123456789".indexOf(c) >= 0 && what.length() == 1
                            ? "'$" + c + "' is a rewriting-rule operator, not a macro"
                            : "'" + what + "' is not a macro name";
            throw error(why, at);
        }

        private static void flush(StringBuilder text, List<Node> nodes) {
            if (!text.isEmpty()) {
                nodes.add(new Text(text.toString()));
                text.setLength(0);
            }
        }

        private MacroSyntaxException error(String what, int at) {
            return new MacroSyntaxException(what + " (at offset " + at + " of \"" + s + "\")");
        }
    }
}
