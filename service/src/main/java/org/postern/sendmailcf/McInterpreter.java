package org.postern.sendmailcf;

import java.util.Objects;

/**
 * Reads a sendmail {@code .mc} file without m4: the fallback of {@code import-sendmail} when m4 or
 * Debian's sendmail-cf macros are not installed. It interprets the common macros ({@code divert},
 * {@code dnl}, {@code define}, {@code undefine}, {@code OSTYPE}, {@code DOMAIN}, {@code FEATURE},
 * {@code MAILER}, {@code DAEMON_OPTIONS}, {@code CLIENT_OPTIONS}, {@code MASQUERADE_AS}, the class
 * macros, {@code LOCAL_CONFIG}, {@code LOCAL_RULESETS}, …) and writes the {@code sendmail.cf} lines
 * m4 would write for them, byte for byte, so the importer reads the same lines either way.
 * Whatever it does not interpret (an unknown {@code FEATURE}, {@code HACK}, {@code ifdef}, a define
 * it does not know, an include it cannot read) is a note, never dropped silently.
 *
 * <p>It is not m4: conditionals are not evaluated, and only the sendmail-cf files it knows by heart
 * ({@code ostype/linux.m4}, {@code ostype/bsd4.4.m4}, {@code ostype/debian.m4} without its autoconf
 * results, {@code domain/generic.m4}, the interpreted features and mailers) are applied.
 */
public final class McInterpreter {

    private McInterpreter() {
    }

    /** Translates a .mc file's text into the sendmail.cf lines m4 would produce for what Postern maps. */
    public static McTranslation interpret(String mcText) {
        Objects.requireNonNull(mcText, "mcText");
        McMacros macros = new McMacros();
        M4Engine m4 = new M4Engine(macros);
        macros.attach(m4);
        // A file saved with CRLF line ends: the cf lines end with LF only, as sendmail reads them.
        m4.run(mcText.replace("\r\n", "\n"));
        macros.finish();
        String cf = McCfWriter.write(m4, macros.daemonOptions(), macros.clientOptions());
        return new McTranslation(cf, m4.notes());
    }
}
