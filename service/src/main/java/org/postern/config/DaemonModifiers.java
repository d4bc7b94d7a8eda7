package org.postern.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code Modifiers} of a DaemonPortOptions entry. Each sendmail flag is listed with what it
 * does in Postern; a flag sendmail does not define is a startup error, never ignored.
 */
public enum DaemonModifiers {
    /** a: require AUTH before MAIL. */
    REQUIRE_AUTH('a'),
    /** b: send outbound from the address the mail came in on (used by delivery). */
    BIND_TO_RECEIVING_INTERFACE('b'),
    /** c: hostname canonification; Postern never rewrites hosts, so c and C are accepted and change nothing. */
    CANONIFY('c'),
    /** f: require a fully qualified HELO name and fully qualified addresses. */
    REQUIRE_FQDN('f'),
    /** s: SMTP over TLS from the first byte (SMTPS, port 465 style). */
    IMPLICIT_TLS('s'),
    /** u: allow unqualified addresses (without {@code @domain}). */
    ALLOW_UNQUALIFIED('u'),
    /** A: never offer AUTH (overrides a). */
    NO_AUTH('A'),
    /** C: no hostname canonification (Postern's behaviour in any case). */
    NO_CANONIFY('C'),
    /** E: no ETRN; Postern does not implement ETRN, so this is always so. */
    NO_ETRN('E'),
    /** O: optional: if the socket cannot be opened, log it and start without it. */
    OPTIONAL('O'),
    /** S: never offer STARTTLS. */
    NO_STARTTLS('S');

    private final char flag;

    DaemonModifiers(char flag) {
        this.flag = flag;
    }

    public char flag() {
        return flag;
    }

    /** Parses sendmail's modifier string, e.g. {@code "Ea"}; commas and spaces are not flags. */
    public static Set<DaemonModifiers> parse(String modifiers) {
        EnumSet<DaemonModifiers> set = EnumSet.noneOf(DaemonModifiers.class);
        if (modifiers == null) {
            return set;
        }
        for (char c : modifiers.toCharArray()) {
            DaemonModifiers m = of(c);
            if (m == null) {
                throw new IllegalArgumentException("unknown DaemonPortOptions modifier '" + c
                        + "' (known: a b c f s u A C E O S)");
            }
            set.add(m);
        }
        return Collections.unmodifiableSet(set);
    }

    private static DaemonModifiers of(char c) {
        for (DaemonModifiers m : values()) {
            if (m.flag == c) {
                return m;
            }
        }
        return null;
    }
}
