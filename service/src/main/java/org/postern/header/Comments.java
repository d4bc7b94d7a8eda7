package org.postern.header;

/**
 * Removes RFC 5322 comments ({@code (text)}, nested, with quoted-pairs) from a field body, as
 * sendmail does before it hands a header to a check ruleset ("the header is treated as a
 * structured field, that is, text in parentheses is deleted"). Parentheses inside a
 * quoted-string are not comments. An unclosed comment runs to the end of the value.
 */
public final class Comments {

    private Comments() {
    }

    public static String strip(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++; // quoted-pair inside a comment
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (quoted) {
                out.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    out.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '(') {
                depth = 1;
            } else {
                if (c == '"') {
                    quoted = true;
                }
                out.append(c);
            }
        }
        return out.toString().strip();
    }
}
