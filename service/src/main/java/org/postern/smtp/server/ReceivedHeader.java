package org.postern.smtp.server;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Received:} trace header Postern prepends to each accepted message (RFC 5321 §4.4). */
final class ReceivedHeader {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * @param tls       e.g. {@code TLSv1.3 with cipher TLS_AES_256_GCM_SHA384}, or null
     * @param recipient the only recipient, or null when there are several (they are not disclosed)
     */
    static byte[] format(String helo, String clientAddress, boolean ipv6, String hostname, String protocol,
            String queueId, String tls, String recipient, ZonedDateTime when) {
        StringBuilder h = new StringBuilder(256);
        h.append("Received: from ").append(printable(helo))
                .append(" ([").append(ipv6 ? "IPv6:" : "").append(clientAddress).append("])\r\n");
        h.append("\tby ").append(hostname).append(" (Postern) with ").append(protocol).append(" id ").append(queueId);
        if (tls != null) {
            h.append("\r\n\t(using ").append(tls).append(")"); // our own TLS session text, not client input
        }
        if (recipient != null) {
            h.append("\r\n\tfor <").append(recipient).append(">");
        }
        h.append(";\r\n\t").append(DATE.format(when)).append("\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The HELO argument comes from the client: keep it to printable ASCII in a header. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c > 32 && c < 127 && c != '(' && c != ')' ? c : '?');
        }
        return out.toString();
    }
}
