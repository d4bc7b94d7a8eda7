package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the importer did not map, and why: written at the top of the YAML as comments, so nothing
 * of the sendmail configuration is dropped silently. Entries are grouped (options, mailers, rule
 * sets, ...) and keep the cf line they came from. Three kinds: {@code unmapped} (Postern has no
 * equivalent, or the value cannot be carried over: the reason says which), {@code default} (the line
 * says what Postern does anyway, so nothing needs writing) and {@code note} (something mapped with a
 * difference the operator should know).
 */
public final class ImportReport {

    /** The kind of an entry, written as the comment's first word. */
    public enum Kind {
        UNMAPPED("unmapped"),
        DEFAULT("default"),
        NOTE("note");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /**
     * One entry.
     *
     * @param kind   unmapped, default or note
     * @param group  the heading it is listed under
     * @param line   the cf line number, or 0 when the entry is about the file as a whole
     * @param text   what the line says (one line)
     * @param reason why it is not mapped, or what the note says
     */
    public record Entry(Kind kind, String group, int line, String text, String reason) {
    }

    /** Longest text quoted from a cf line before it is cut with "...". */
    private static final int MAX_TEXT = 110;

    private final List<Entry> entries = new ArrayList<>();

    public void unmapped(String group, CfLine line, String reason) {
        add(Kind.UNMAPPED, group, line.number(), line.oneLine(), reason);
    }

    public void matchesDefault(String group, CfLine line, String reason) {
        add(Kind.DEFAULT, group, line.number(), line.oneLine(), reason);
    }

    public void note(String group, int line, String text, String reason) {
        add(Kind.NOTE, group, line, text, reason);
    }

    public void add(Kind kind, String group, int line, String text, String reason) {
        entries.add(new Entry(kind, group, line, text, reason));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<Entry> entries(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).toList();
    }

    /**
     * The report as YAML comment lines: a summary, then the entries by group, groups in the order
     * they first appear, unmapped entries first within each group.
     *
     * @param source what was imported, for the first line
     * @param groups the groups in the order they are written; others follow in order of appearance
     */
    public List<String> toComments(String source, List<String> groups) {
        List<String> out = new ArrayList<>();
        out.add("# Postern configuration imported from " + source + " by import-sendmail.");
        out.add("# Report: " + entries(Kind.UNMAPPED).size() + " not mapped, " + entries(Kind.DEFAULT).size()
                + " matching Postern's defaults, " + entries(Kind.NOTE).size() + " notes. Lines that were mapped"
                + " are named beside their keys below.");
        Map<String, List<Entry>> byGroup = new LinkedHashMap<>();
        groups.forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (Kind kind : Kind.values()) {
            for (Entry e : entries) {
                if (e.kind() == kind) {
                    byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);
                }
            }
        }
        byGroup.forEach((group, list) -> {
            if (list.isEmpty()) {
                return;
            }
            out.add("#");
            out.add("# == " + group + " ==");
            for (Entry e : list) {
                out.add("# " + e.kind().word() + ": " + (e.line() > 0 ? "line " + e.line() + ": " : "")
                        + clip(e.text()) + " — " + e.reason().replace('\n', ' '));
            }
        });
        return out;
    }

    private static String clip(String text) {
        String t = text.replace('\n', ' ');
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT - 3) + "...";
    }
}
