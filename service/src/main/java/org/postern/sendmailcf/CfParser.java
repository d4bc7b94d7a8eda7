package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code sendmail.cf} into a {@link CfFile}, as sendmail's {@code readcf} splits it: a line
 * starting with a space or tab continues the one before; {@code #} starts a comment; the first
 * character is the command. Nothing is interpreted here beyond splitting a line into its parts, so
 * the importer sees every line, with its number.
 */
public final class CfParser {

    /** m4 writes {@code #####  $Id: name.m4,v 8.10 ... $  #####} for each file it read. */
    private static final Pattern M4_SOURCE = Pattern.compile("^#####\\s+\\$Id: ([A-Za-z0-9_.+-]+\\.m4),v ");
    private static final Pattern LONG_NAME = Pattern.compile("^\\{([^}]*)\\}");

    private CfParser() {
    }

    /** @throws IllegalArgumentException when the text is not a sendmail.cf at all (names the line) */
    public static CfFile parse(String text) {
        List<CfLine> lines = new ArrayList<>();
        List<CfFile.Option> options = new ArrayList<>();
        List<CfFile.Macro> macros = new ArrayList<>();
        List<CfFile.ClassDef> classes = new ArrayList<>();
        List<CfFile.MapDef> maps = new ArrayList<>();
        List<CfLine> mailers = new ArrayList<>();
        List<CfLine> headers = new ArrayList<>();
        Map<String, CfRuleset> rulesets = new LinkedHashMap<>();
        List<CfLine> others = new ArrayList<>();
        List<CfFile.M4Source> sources = new ArrayList<>();

        String currentRuleset = null;
        for (CfLine line : fold(text)) {
            String t = line.text();
            if (t.startsWith("#")) {
                Matcher m = M4_SOURCE.matcher(t);
                if (m.find()) {
                    sources.add(new CfFile.M4Source(line.number(), m.group(1)));
                }
                continue;
            }
            if (t.isBlank()) {
                continue;
            }
            lines.add(line);
            String rest = t.substring(1);
            switch (line.command()) {
                case 'O' -> options.add(option(line, rest));
                case 'D' -> {
                    String[] nv = name(rest);
                    macros.add(new CfFile.Macro(line, nv[0], nv[1].strip()));
                }
                case 'C' -> {
                    String[] nv = name(rest);
                    classes.add(new CfFile.ClassDef(line, nv[0], words(nv[1]), null));
                }
                case 'F' -> {
                    String[] nv = name(rest);
                    classes.add(new CfFile.ClassDef(line, nv[0], List.of(), nv[1].strip()));
                }
                case 'K' -> maps.add(map(line, rest));
                case 'M' -> mailers.add(line);
                case 'H' -> headers.add(line);
                case 'S' -> {
                    String name = rest.strip();
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        name = name.substring(0, eq).strip();
                    }
                    currentRuleset = name;
                    // A second S line for the same set adds to it, as in sendmail.
                    CfRuleset earlier = rulesets.get(name);
                    rulesets.put(name, earlier != null ? earlier : new CfRuleset(name, line, List.of()));
                }
                case 'R' -> {
                    if (currentRuleset == null) {
                        others.add(line); // rules before any S line: reported as they stand
                    } else {
                        CfRuleset r = rulesets.get(currentRuleset);
                        List<CfLine> rules = new ArrayList<>(r.rules());
                        rules.add(line);
                        rulesets.put(currentRuleset, new CfRuleset(r.name(), r.line(), rules));
                    }
                }
                default -> others.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no sendmail.cf lines (only comments or nothing)");
        }
        return new CfFile(lines, options, macros, classes, maps, mailers, headers, rulesets, others, sources);
    }

    /** Physical lines folded into logical ones, each with the number of its first line. */
    static List<CfLine> fold(String text) {
        List<CfLine> out = new ArrayList<>();
        String[] physical = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < physical.length; i++) {
            String p = physical[i];
            boolean continuation = !p.isEmpty() && (p.charAt(0) == ' ' || p.charAt(0) == '\t');
            if (continuation && current != null) {
                current.append('\n').append(p);
                continue;
            }
            if (current != null) {
                out.add(new CfLine(start, stripEnd(current.toString())));
            }
            current = new StringBuilder(p);
            start = i + 1;
        }
        if (current != null && !current.isEmpty()) {
            out.add(new CfLine(start, stripEnd(current.toString())));
        }
        return out;
    }

    private static String stripEnd(String s) {
        return s.stripTrailing();
    }

    private static CfFile.Option option(CfLine line, String rest) {
        if (!rest.isEmpty() && (rest.charAt(0) == ' ' || rest.charAt(0) == '\t')) {
            String s = rest.strip();
            int eq = s.indexOf('=');
            if (eq < 0) {
                return new CfFile.Option(line, s, ""); // a boolean option given alone means True
            }
            return new CfFile.Option(line, s.substring(0, eq).strip(), s.substring(eq + 1).strip());
        }
        if (rest.isEmpty()) {
            return new CfFile.Option(line, "", "");
        }
        return new CfFile.Option(line, rest.substring(0, 1), rest.substring(1).strip());
    }

    private static CfFile.MapDef map(CfLine line, String rest) {
        String[] parts = rest.strip().split("\\s+", 3);
        return new CfFile.MapDef(line, parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    /** A macro or class name: one character, or {@code {name}}; and what follows it. */
    private static String[] name(String rest) {
        Matcher m = LONG_NAME.matcher(rest);
        if (m.find()) {
            return new String[] {m.group(1), rest.substring(m.end())};
        }
        if (rest.isEmpty()) {
            return new String[] {"", ""};
        }
        return new String[] {rest.substring(0, 1), rest.substring(1)};
    }

    private static List<String> words(String s) {
        String t = s.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }
}
