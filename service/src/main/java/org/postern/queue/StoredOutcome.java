package org.postern.queue;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A recipient's final outcome as kept in the spool beside its state (the spool's opaque "detail"),
 * so that a DSN written after a restart still names the remote reply. Encoded as
 * {@code action=failed&status=5.1.1&mta=...&diag=...&at=...} with URL-encoded values.
 *
 * @param action     {@code failed}, {@code delivered}, {@code relayed} or {@code discarded}
 * @param status     RFC 3463 status
 * @param remoteMta  next hop host name, or null
 * @param diagnostic the remote reply or our explanation, or null
 * @param at         when the outcome happened
 * @param type       the mailer's {@code T=} ({@code mta/addr/diag}) for the DSN fields, or null for
 *                   the default (outcomes stored before mailer types were kept have none)
 */
public record StoredOutcome(String action, String status, String remoteMta, String diagnostic, Instant at,
        String type) {

    public StoredOutcome(String action, String status, String remoteMta, String diagnostic, Instant at) {
        this(action, status, remoteMta, diagnostic, at, null);
    }

    /** This outcome, reported with the types of the mailer that produced it. */
    StoredOutcome withType(org.postern.mailer.MailerType mailerType) {
        return new StoredOutcome(action, status, remoteMta, diagnostic, at,
                mailerType == null ? null : mailerType.toString());
    }

    static StoredOutcome of(DeliveryOutcome outcome, Instant at) {
        String action = switch (outcome) {
            case DeliveryOutcome.Delivered d -> d.dsnPassedOn() ? "delivered" : "relayed";
            case DeliveryOutcome.Failed f -> "failed";
            case DeliveryOutcome.Discarded d -> "discarded";
            case DeliveryOutcome.Deferred d -> "delayed";
        };
        return new StoredOutcome(action, outcome.status(), outcome.remoteMta(), outcome.diagnostic(), at);
    }

    String encode() {
        StringBuilder out = new StringBuilder(96);
        append(out, "action", action);
        append(out, "status", status);
        append(out, "mta", remoteMta);
        append(out, "diag", diagnostic);
        append(out, "at", at == null ? null : at.toString());
        append(out, "type", type);
        return out.toString();
    }

    /** Decodes a detail; null (or garbage from a future version) gives null, never an exception. */
    static StoredOutcome decode(String detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : detail.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        if (!fields.containsKey("action")) {
            return null;
        }
        Instant at = null;
        try {
            at = fields.containsKey("at") ? Instant.parse(fields.get("at")) : null;
        } catch (DateTimeParseException e) {
            // keep the rest: a report without a date is still worth sending
        }
        return new StoredOutcome(fields.get("action"), fields.get("status"), fields.get("mta"), fields.get("diag"), at,
                fields.get("type"));
    }

    private static void append(StringBuilder out, String key, String value) {
        if (value == null) {
            return;
        }
        if (!out.isEmpty()) {
            out.append('&');
        }
        out.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
