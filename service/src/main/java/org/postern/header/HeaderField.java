package org.postern.header;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One header field as it stands in a message: its name and its raw octets, continuation lines and
 * the final line break included, so that a field passes through editing byte for byte.
 */
public final class HeaderField {
    private final String name;
    private final byte[] raw;

    private HeaderField(String name, byte[] raw) {
        this.name = name;
        this.raw = raw;
    }

    /** A field read from a message. */
    static HeaderField ofRaw(String name, byte[] raw) {
        return new HeaderField(name, raw);
    }

    /**
     * A new field {@code name: value}; the value's line breaks ({@code \n} followed by a space or tab)
     * become CRLF continuation lines, and the field ends with CRLF.
     */
    public static HeaderField of(String name, String value) {
        StringBuilder s = new StringBuilder(name.length() + value.length() + 8).append(name).append(':');
        if (!value.isEmpty() && value.charAt(0) != '\n') {
            s.append(' ');
        }
        s.append(value.replace("\n", "\r\n")).append("\r\n");
        return new HeaderField(name, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
        return name;
    }

    /** Whether this field is called {@code other} (field names are case-insensitive). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The lower-case name, for lookups. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    public byte[] raw() {
        return raw.clone();
    }

    int length() {
        return raw.length;
    }

    byte[] rawUnsafe() {
        return raw;
    }

    /**
     * The field body: after the colon, unfolded (line breaks before whitespace removed), without
     * the final line break and leading or trailing whitespace; decoded as UTF-8.
     */
    public String value() {
        String text = new String(raw, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        String body = text.substring(colon + 1);
        return body.replaceAll("\r?\n(?=[ \t])", "").replaceAll("\r?\n$", "").strip();
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.UTF_8).stripTrailing();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField f && f.name.equals(name) && Arrays.equals(f.raw, raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }
}
