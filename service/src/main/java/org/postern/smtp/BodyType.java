package org.postern.smtp;

/** The MAIL FROM {@code BODY=} parameter (RFC 6152): what the content may hold. */
public enum BodyType {
    /** No BODY parameter, or BODY=7BIT: ASCII lines only. */
    SEVEN_BIT("7BIT"),
    /** BODY=8BITMIME: octets above 127 in lines of at most 998 octets. */
    EIGHT_BIT_MIME("8BITMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static BodyType fromKeyword(String value) {
        for (BodyType t : values()) {
            if (t.keyword.equalsIgnoreCase(value)) {
                return t;
            }
        }
        return null;
    }
}
