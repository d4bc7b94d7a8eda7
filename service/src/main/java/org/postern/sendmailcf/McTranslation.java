package org.postern.sendmailcf;

import java.util.List;

/**
 * What {@link McInterpreter} makes of a {@code .mc} file without m4: the {@code sendmail.cf} lines m4
 * would write for what Postern maps, and one note per macro or construct it did not interpret
 * ({@code "line N: <the macro call> — <reason>"}), so nothing is dropped silently.
 *
 * @param cfText sendmail.cf text: {@code O}, {@code D}, {@code C}/{@code F}, {@code K}, {@code H},
 *               {@code S}/{@code R} and {@code M} lines (with their continuation lines)
 * @param notes  what was not interpreted, in file order, one string per item
 */
public record McTranslation(String cfText, List<String> notes) {

    public McTranslation {
        notes = List.copyOf(notes);
    }
}
