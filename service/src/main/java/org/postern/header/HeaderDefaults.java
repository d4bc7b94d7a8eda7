package org.postern.header;

import java.util.List;

/**
 * sendmail's standard {@code H} lines, as {@code cf/m4/proto.m4} writes them into every
 * sendmail.cf (8.17, with its default confRECEIVED_HEADER, confFROM_HEADER and
 * confMESSAGEID_HEADER). They are Postern's defaults: a configured rule for the same header name
 * replaces the default one, the others stay.
 */
public final class HeaderDefaults {

    /** The Received: template of proto.m4 (confRECEIVED_HEADER), continuation lines included. */
    public static final String RECEIVED = "HReceived: $?sfrom $s $.$?_($?s$|from $.$_)\n"
            + "\t$.$?{auth_type}(authenticated$?{auth_ssf} bits=${auth_ssf}$.)\n"
            + "\t$.by $j ($v/$Z)$?r with $r$. id $i$?{tls_version}\n"
            + "\t(version=${tls_version} cipher=${cipher} bits=${cipher_bits} verify=${verify})$.$?u\n"
            + "\tfor $u; $|;\n"
            + "\t$.$b";

    /** The lines in sendmail.cf order. */
    public static final List<String> LINES = List.of(
            "H?P?Return-Path: <$g>",
            RECEIVED,
            "H?D?Resent-Date: $a",
            "H?D?Date: $a",
            "H?F?Resent-From: $?x$x <$g>$|$g$.",
            "H?F?From: $?x$x <$g>$|$g$.",
            "H?x?Full-Name: $x",
            "H?M?Resent-Message-Id: <$t.$i@$j>",
            "H?M?Message-Id: <$t.$i@$j>");

    private HeaderDefaults() {
    }

    /** The standard lines, parsed. */
    public static List<HeaderRule> rules() {
        return LINES.stream().map(l -> (HeaderRule) HeaderLineParser.parse(l)).toList();
    }
}
