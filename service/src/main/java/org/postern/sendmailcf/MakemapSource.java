package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.List;

/**
 * The text a map database is made from ({@code makemap hash /etc/mail/mailertable < mailertable}):
 * one entry per line, the key up to the first white space, the value the rest of the line;
 * {@code #} comment lines and blank lines are skipped, as makemap does.
 */
public final class MakemapSource {

    /** One entry, with its line number in the source file. */
    public record Entry(int line, String key, String value, String text) {
    }

    private MakemapSource() {
    }

    /** Entries in file order; a line with a key but no value is returned with an empty value. */
    public static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] kv = l.split("\\s+", 2);
            entries.add(new Entry(i + 1, kv[0], kv.length > 1 ? kv[1].strip() : "", l));
        }
        return entries;
    }
}
