package org.postern.header;

import java.util.Set;
import org.postern.macro.Macros;

/**
 * The macros sendmail takes from a message's header: {@code $a} (Posted-Date: or Date:),
 * {@code $x} (the sender's full name, from Full-Name: or the From: phrase or comment),
 * {@code $c} (the hop count, Received: fields) and {@code ${msg_id}} (Message-Id:).
 */
public final class HeaderMacros {

    /** The names set here: a condition on them cannot be decided before the header is read. */
    public static final Set<String> NAMES = Set.of("a", "x", "c", "msg_id");

    private HeaderMacros() {
    }

    public static Macros of(HeaderBlock header) {
        Macros.Builder b = Macros.builder();
        HeaderField date = header.first("Posted-Date");
        if (date == null) {
            date = header.first("Date");
        }
        if (date != null) {
            b.put("a", date.value());
        }
        HeaderField fullName = header.first("Full-Name");
        HeaderField from = header.first("From");
        String name = fullName != null ? fullName.value() : from != null ? fullName(from.value()) : null;
        if (name != null && !name.isEmpty()) {
            b.put("x", name);
        }
        b.put("c", Long.toString(header.fields().stream().filter(f -> f.is("Received")).count()));
        HeaderField messageId = header.first("Message-Id");
        if (messageId != null) {
            b.put("msg_id", messageId.value());
        }
        return b.build();
    }

    /**
     * The full name in a From: value: the phrase of {@code Phrase <addr>} (unquoted), or the comment
     * of {@code addr (Comment)}; null when there is neither.
     */
    static String fullName(String from) {
        int angle = from.indexOf('<');
        if (angle > 0) {
            String phrase = from.substring(0, angle).strip();
            if (phrase.length() >= 2 && phrase.startsWith("\"") && phrase.endsWith("\"")) {
                phrase = phrase.substring(1, phrase.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            return phrase.isEmpty() ? null : phrase;
        }
        int open = from.indexOf('(');
        int close = from.lastIndexOf(')');
        if (open >= 0 && close > open) {
            String comment = from.substring(open + 1, close).strip();
            return comment.isEmpty() ? null : comment;
        }
        return null;
    }
}
