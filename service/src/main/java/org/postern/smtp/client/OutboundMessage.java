package org.postern.smtp.client;

import java.util.List;
import java.util.Objects;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.MailAddress;

/**
 * One transaction to send: the envelope the queue holds for this next hop, and the content.
 *
 * @param sender     the reverse-path; {@link MailAddress#NULL_SENDER} for bounces
 * @param recipients the recipients, in order; results come back in the same order
 * @param body       the BODY type the message was received with
 * @param smtpUtf8   whether the message was received with SMTPUTF8 (RFC 6531)
 * @param ret        DSN RET, or null
 * @param envId      DSN ENVID as received (xtext), or null
 * @param size       the content size in octets, for SIZE (RFC 1870)
 * @param content    the content
 */
public record OutboundMessage(MailAddress sender, List<OutboundRecipient> recipients, BodyType body, boolean smtpUtf8,
        DsnReturn ret, String envId, long size, OutboundContent content) {

    public OutboundMessage {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one recipient");
        }
        if (body == null) {
            body = BodyType.SEVEN_BIT;
        }
        if (envId != null && !isParameterValue(envId)) {
            throw new IllegalArgumentException("ENVID must be printable ASCII without spaces");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        Objects.requireNonNull(content, "content");
    }

    /** True when an address in the envelope needs SMTPUTF8, or the message was received with it. */
    boolean requiresSmtpUtf8() {
        if (smtpUtf8 || sender.isInternationalized()) {
            return true;
        }
        for (OutboundRecipient r : recipients) {
            if (r.address().isInternationalized()) {
                return true;
            }
        }
        return false;
    }

    /** An ESMTP parameter value (RFC 5321 esmtp-value): printable ASCII except '=' and space. */
    static boolean isParameterValue(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }
}
