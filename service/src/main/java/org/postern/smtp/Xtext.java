package org.postern.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3461 xtext, the encoding of the ENVID and ORCPT parameters: checked when received, kept
 * encoded in the envelope, and decoded only where a human reads it (a DSN's Original-Recipient).
 */
public final class Xtext {
    private Xtext() {
    }

    public static boolean isValid(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length() || !isUpperHex(s.charAt(i + 1)) || !isUpperHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** Decodes valid xtext: {@code +XX} stands for one octet; the octets are UTF-8. Null stays null. */
    public static String decode(String xtext) {
        if (xtext == null || xtext.indexOf('+') < 0) {
            return xtext;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+' && i + 2 < xtext.length()) {
                out.write(Integer.parseInt(xtext.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
