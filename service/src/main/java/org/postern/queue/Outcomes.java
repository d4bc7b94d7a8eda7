package org.postern.queue;

import org.postern.smtp.SmtpReply;
import org.postern.smtp.client.SmtpClientException;

/**
 * Classifies replies and client errors into {@link DeliveryOutcome}s, in one place (as Postfix's
 * smtp_trouble.c): 2xx delivered, 4xx deferred, 5xx failed, and anything unknown temporary.
 */
final class Outcomes {

    private Outcomes() {
    }

    static DeliveryOutcome ofReply(SmtpReply reply, String remoteMta, boolean dsnPassedOn, FailureScope scope) {
        String status = status(reply);
        String diagnostic = diagnostic(reply);
        if (reply.isPositive()) {
            return new DeliveryOutcome.Delivered(status, diagnostic, remoteMta, dsnPassedOn);
        }
        if (reply.isTransient()) {
            return new DeliveryOutcome.Deferred(status, diagnostic, remoteMta, scope);
        }
        return new DeliveryOutcome.Failed(status, diagnostic, remoteMta, scope);
    }

    /** A session that broke during a transaction: permanent only for a 5xx to the message itself. */
    static DeliveryOutcome ofException(SmtpClientException e, String remoteMta) {
        if (e.reply() != null && e.permanent()) {
            return new DeliveryOutcome.Failed(status(e.reply()), diagnostic(e.reply()), remoteMta, FailureScope.MESSAGE);
        }
        String status = e.reply() != null ? temporary(status(e.reply())) : e.timeout() ? "4.4.2" : "4.4.1";
        String diagnostic = e.reply() != null ? diagnostic(e.reply()) : e.getMessage();
        return new DeliveryOutcome.Deferred(status, diagnostic, remoteMta, FailureScope.SESSION);
    }

    /** The enhanced status of a reply, or the RFC 3463 class default ({@code 2.0.0}, {@code 4.0.0}, {@code 5.0.0}). */
    static String status(SmtpReply reply) {
        if (reply.enhanced() != null) {
            return reply.enhanced();
        }
        return (reply.code() / 100) + ".0.0";
    }

    /** The reply as a DSN Diagnostic-Code text: code, status and the text lines joined. */
    static String diagnostic(SmtpReply reply) {
        StringBuilder out = new StringBuilder().append(reply.code());
        if (reply.enhanced() != null) {
            out.append(' ').append(reply.enhanced());
        }
        for (String line : reply.lines()) {
            out.append(' ').append(line);
        }
        return out.toString().replaceAll("[\\r\\n]+", " ");
    }

    /** A status made temporary: a session failure is never a reason to bounce. */
    static String temporary(String status) {
        return status.startsWith("4.") ? status : "4." + status.substring(status.indexOf('.') + 1);
    }
}
