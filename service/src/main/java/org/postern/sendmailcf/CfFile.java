package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code sendmail.cf}, every line kept with its number: options ({@code O}), macros
 * ({@code D}), classes ({@code C}, {@code F}), maps ({@code K}), mailers ({@code M}), header lines
 * ({@code H}), rule sets ({@code S} with their {@code R} lines) and everything else. Made by
 * {@link CfParser}; read by {@link SendmailImporter}, which must account for every line.
 *
 * @param lines       every logical line that is not a comment or blank, in file order
 * @param options     the {@code O} lines
 * @param macros      the {@code D} lines
 * @param classes     the {@code C} and {@code F} lines
 * @param maps        the {@code K} lines
 * @param mailers     the {@code M} lines
 * @param headers     the {@code H} lines
 * @param rulesets    the rule sets by name, in file order
 * @param others      the lines of any other command ({@code V}, {@code P}, {@code T}, {@code E}, ...)
 * @param m4Sources   the m4 files the cf was built from, named by m4's {@code $Id:} comments
 *                    ({@code masquerade_envelope.m4}), with the comment's line
 */
public record CfFile(List<CfLine> lines, List<Option> options, List<Macro> macros, List<ClassDef> classes,
        List<MapDef> maps, List<CfLine> mailers, List<CfLine> headers, Map<String, CfRuleset> rulesets,
        List<CfLine> others, List<M4Source> m4Sources) {

    /** {@code O Name=value}; an old one-letter option has a one-letter name. */
    public record Option(CfLine line, String name, String value) {
    }

    /** {@code Dxvalue} or {@code D{name}value}. */
    public record Macro(CfLine line, String name, String value) {
    }

    /** {@code Cxword ...} (words) or {@code Fx/path} (file, with its options). */
    public record ClassDef(CfLine line, String name, List<String> words, String file) {
        public ClassDef {
            words = List.copyOf(words);
        }
    }

    /** {@code Kname type args}. */
    public record MapDef(CfLine line, String name, String type, String args) {
    }

    /** An m4 source file named by a {@code #####  $Id: name.m4,v ...} comment. */
    public record M4Source(int line, String file) {

        /** The file name without {@code .m4}: a FEATURE's name for files under {@code feature/}. */
        public String name() {
            return file.endsWith(".m4") ? file.substring(0, file.length() - 3) : file;
        }
    }

    public CfFile {
        lines = List.copyOf(lines);
        options = List.copyOf(options);
        macros = List.copyOf(macros);
        classes = List.copyOf(classes);
        maps = List.copyOf(maps);
        mailers = List.copyOf(mailers);
        headers = List.copyOf(headers);
        rulesets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rulesets));
        others = List.copyOf(others);
        m4Sources = List.copyOf(m4Sources);
    }

    /** The last {@code O} line for an option (sendmail keeps the last), by its exact name. */
    public Optional<Option> option(String name) {
        Option found = null;
        for (Option o : options) {
            if (o.name().equals(name)) {
                found = o;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every {@code O} line for an option that may be given more than once (DaemonPortOptions). */
    public List<Option> optionLines(String name) {
        return options.stream().filter(o -> o.name().equals(name)).toList();
    }

    /** The last definition of a macro ({@code j}, {@code S}, or a long name without braces). */
    public Optional<Macro> macro(String name) {
        Macro found = null;
        for (Macro m : macros) {
            if (m.name().equals(name)) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The {@code C} and {@code F} lines of one class, in file order. */
    public List<ClassDef> classDefs(String name) {
        return classes.stream().filter(c -> c.name().equals(name)).toList();
    }

    /** The words of a class from its {@code C} lines (its {@code F} files are not read). */
    public List<String> classWords(String name) {
        List<String> words = new ArrayList<>();
        for (ClassDef c : classDefs(name)) {
            for (String w : c.words()) {
                if (!words.contains(w)) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    public Optional<MapDef> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).reduce((a, b) -> b);
    }

    /** Whether the cf names this m4 file ({@code masquerade_envelope}) among its sources. */
    public boolean builtWith(String m4Name) {
        return m4Sources.stream().anyMatch(s -> s.name().equals(m4Name));
    }
}
