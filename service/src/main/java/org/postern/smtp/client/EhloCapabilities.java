package org.postern.smtp.client;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.postern.smtp.SmtpReply;

/**
 * The service extensions a next hop announced in its EHLO reply (RFC 5321 §4.1.1.1): keyword and
 * parameters per line, keywords case-insensitive. After HELO there are none.
 */
record EhloCapabilities(Map<String, String> keywords) {

    static final EhloCapabilities NONE = new EhloCapabilities(Map.of());

    static EhloCapabilities parse(SmtpReply ehlo) {
        Map<String, String> map = new LinkedHashMap<>();
        List<String> lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) { // the first line is the server's name and greeting
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String params = space < 0 ? "" : line.substring(space + 1).strip();
            if (keyword.startsWith("AUTH=")) { // pre-RFC 4954 form some servers still send
                params = (map.getOrDefault("AUTH", "") + " " + keyword.substring(5) + " " + params).strip();
                keyword = "AUTH";
            }
            map.merge(keyword, params, (a, b) -> (a + " " + b).strip());
        }
        return new EhloCapabilities(Map.copyOf(map));
    }

    boolean supports(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The SIZE limit (RFC 1870), 0 when none was announced or it is not a number. */
    long maxSize() {
        String value = keywords.get("SIZE");
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.split(" ")[0]));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Set<String> authMechanisms() {
        String value = keywords.get("AUTH");
        if (value == null || value.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(value.split("\\s+")).map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
