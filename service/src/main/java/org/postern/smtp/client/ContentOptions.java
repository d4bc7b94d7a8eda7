package org.postern.smtp.client;

/**
 * How content lines are written to a next hop, on top of dot-stuffing and CRLF line ends, which
 * are always done. Each option is one small filter ({@link ContentFilter} subclasses), chained in
 * sendmail's order by {@link #apply}.
 *
 * @param lineLimit        break lines longer than this many octets as sendmail does ({@code L=}); 0 for none
 * @param escapeFrom       body lines beginning with "From " get a '>' (flag {@code E})
 * @param blankLineAtEnd   the message ends with an empty line (flag {@code b})
 * @param stripNuls        NUL octets are dropped (flag {@code 1})
 * @param sevenBitHeaders  the eighth bit of header octets is cleared (flag {@code 6})
 */
public record ContentOptions(int lineLimit, boolean escapeFrom, boolean blankLineAtEnd, boolean stripNuls,
        boolean sevenBitHeaders) {

    /** Content as it is. */
    public static final ContentOptions NONE = new ContentOptions(0, false, false, false, false);

    public ContentOptions {
        if (lineLimit != 0 && lineLimit < 3) {
            throw new IllegalArgumentException("lineLimit must be 0 or at least 3");
        }
    }

    /**
     * Wraps {@code content} in the filters these options ask for, plus clearing the eighth bit of
     * everything when {@code stripAll} (flag {@code 7} on a 7-bit path). Order as sendmail's
     * putbody/putxline: NULs dropped, the blank line added, long lines broken, then "From " escaped
     * (on the first piece of a broken line only, uncounted, as putxline does) and bits stripped.
     */
    java.io.InputStream apply(java.io.InputStream content, boolean stripAll) {
        java.io.InputStream in = content;
        if (stripNuls) {
            in = new NulStripper(in);
        }
        if (blankLineAtEnd) {
            in = new BlankLineEnder(in);
        }
        if (lineLimit > 0) {
            in = new LineLimiter(in, lineLimit);
        }
        if (escapeFrom) {
            in = new FromEscaper(in);
        }
        if (stripAll || sevenBitHeaders) {
            in = new EightBitStripper(in, !stripAll);
        }
        return in;
    }
}
