package org.postern.testing;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A received DSN parsed with Jakarta Mail, as a mail client would: the multipart/report, its
 * per-message fields and one field map per recipient (RFC 3464 §2.1: groups separated by blank lines).
 */
public record DsnReport(MimeMessage message, String reportType, Map<String, String> perMessage,
        List<Map<String, String>> recipients, String returnedType, String returned) {

    public static DsnReport parse(byte[] data) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
        String type = m.getContentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/report")) {
            throw new AssertionError("not a multipart/report: " + m.getContentType());
        }
        MimeMultipart mp = (MimeMultipart) m.getContent();
        if (mp.getCount() < 2) {
            throw new AssertionError("a DSN has at least two parts, got " + mp.getCount());
        }
        BodyPart status = mp.getBodyPart(1);
        String statusText;
        try (InputStream in = status.getInputStream()) {
            statusText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Map<String, String>> groups = new ArrayList<>();
        for (String block : statusText.replace("\r\n", "\n").split("\n\\s*\n")) {
            if (block.isBlank()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            String key = null;
            for (String line : block.split("\n")) {
                if ((line.startsWith(" ") || line.startsWith("\t")) && key != null) {
                    fields.put(key, fields.get(key) + " " + line.strip());
                } else if (line.indexOf(':') > 0) {
                    key = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                    fields.put(key, line.substring(line.indexOf(':') + 1).strip());
                }
            }
            groups.add(fields);
        }
        String reportType = new jakarta.mail.internet.ContentType(m.getContentType()).getParameter("report-type");
        String returnedType = null;
        String returned = null;
        if (mp.getCount() > 2) {
            BodyPart r = mp.getBodyPart(2);
            returnedType = r.getContentType().toLowerCase(Locale.ROOT);
            try (InputStream in = r.getInputStream()) {
                returned = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                returned = null;
            }
        }
        return new DsnReport(m, reportType, groups.get(0), groups.subList(1, groups.size()), returnedType, returned);
    }

    public Map<String, String> recipient(String address) {
        return recipients.stream().filter(r -> r.getOrDefault("final-recipient", "").toLowerCase(Locale.ROOT)
                .endsWith(address.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + address + " in " + recipients));
    }
}
