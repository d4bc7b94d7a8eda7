package org.postern.mailer;

/**
 * A mailer's {@code S=} or {@code R=} field: the named address-rewriting rule sets applied to
 * envelope addresses and to header addresses. sendmail writes {@code S=EnvFromSMTP/HdrFromSMTP};
 * a single name applies to both; {@code 0} (or an empty side) means no mailer-specific rewriting.
 * The names refer to rule sets under {@code postern.rewriting.<name>}.
 *
 * @param envelope the rule set for envelope addresses, or null for none
 * @param header   the rule set for header addresses, or null for none
 */
public record RewritingRef(String envelope, String header) {

    /** No mailer-specific rewriting. */
    public static final RewritingRef NONE = new RewritingRef(null, null);

    public RewritingRef {
        envelope = name(envelope);
        header = name(header);
    }

    /**
     * Parses {@code envelope/header}, or a single name meaning both; null or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException if a name is not a rule set name
     */
    public static RewritingRef parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            String both = text.strip();
            return new RewritingRef(both, both);
        }
        if (text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' has more than one '/' (envelope/header)");
        }
        return new RewritingRef(text.substring(0, slash), text.substring(slash + 1));
    }

    public boolean isNone() {
        return envelope == null && header == null;
    }

    /** The sendmail form: {@code Env/Hdr}, a single name when both are equal, {@code 0} for none. */
    @Override
    public String toString() {
        if (isNone()) {
            return "0";
        }
        String e = envelope == null ? "0" : envelope;
        return e.equals(header) ? e : e + "/" + (header == null ? "0" : header);
    }

    private static String name(String n) {
        if (n == null) {
            return null;
        }
        n = n.strip();
        // sendmail: "Setting any value to zero disables corresponding mailer-specific rewriting."
        if (n.isEmpty() || n.equals("0")) {
            return null;
        }
        if (!n.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("'" + n + "' is not a rule set name");
        }
        return n;
    }
}
