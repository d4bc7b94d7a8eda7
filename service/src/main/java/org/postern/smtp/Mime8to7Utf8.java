package org.postern.smtp;

/**
 * A streaming check that bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), fed in chunks that may split a character. {@link Mime8to7} uses it to
 * label converted text {@code utf-8} rather than {@code unknown-8bit}.
 */
final class Mime8to7Utf8 {

    private int remaining;
    private int lower = 0x80;
    private int upper = 0xBF;
    private boolean valid = true;

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len && valid; i++) {
            int c = b[i] & 0xFF;
            if (remaining > 0) {
                if (c < lower || c > upper) {
                    valid = false;
                }
                remaining--;
                lower = 0x80;
                upper = 0xBF;
            } else if (c >= 0x80) {
                remaining = sequenceLength((byte) c) - 1;
                if (c < 0xC2 || c > 0xF4) {
                    valid = false;
                } else if (c == 0xE0) {
                    lower = 0xA0;
                } else if (c == 0xED) {
                    upper = 0x9F;
                } else if (c == 0xF0) {
                    lower = 0x90;
                } else if (c == 0xF4) {
                    upper = 0x8F;
                }
            }
        }
    }

    /** True when everything fed so far is UTF-8 and no character is left unfinished. */
    boolean isValid() {
        return valid && remaining == 0;
    }

    static boolean isValid(byte[] b, int from, int to) {
        Mime8to7Utf8 v = new Mime8to7Utf8();
        v.update(b, from, to - from);
        return v.isValid();
    }

    /** Octets in the sequence a lead byte starts; 1 for ASCII and for bytes that cannot lead. */
    static int sequenceLength(byte lead) {
        int c = lead & 0xFF;
        if (c >= 0xF0 && c <= 0xF4) {
            return 4;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            return 3;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            return 2;
        }
        return 1;
    }
}
