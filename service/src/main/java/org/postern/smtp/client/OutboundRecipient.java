package org.postern.smtp.client;

import java.util.Objects;
import java.util.Set;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.MailAddress;

/**
 * One RCPT of an outbound transaction with its DSN parameters (RFC 3461 §4), sent only when the
 * next hop offers DSN.
 *
 * @param address the recipient
 * @param dsnNotify NOTIFY values; empty for none (named as in {@link org.postern.smtp.Recipient}: a record
 *                  component cannot be called {@code notify})
 * @param orcpt   the ORCPT value as received ({@code addr-type;xtext}), or null
 */
public record OutboundRecipient(MailAddress address, Set<DsnNotify> dsnNotify, String orcpt) {

    public OutboundRecipient {
        Objects.requireNonNull(address, "address");
        dsnNotify = dsnNotify == null ? Set.of() : Set.copyOf(dsnNotify);
        if (orcpt != null && !OutboundMessage.isParameterValue(orcpt)) {
            throw new IllegalArgumentException("ORCPT must be printable ASCII without spaces");
        }
    }

    public static OutboundRecipient of(MailAddress address) {
        return new OutboundRecipient(address, Set.of(), null);
    }

    /** From the envelope recipient the spool holds. */
    public static OutboundRecipient of(org.postern.smtp.Recipient recipient) {
        return new OutboundRecipient(recipient.address(), recipient.dsnNotify(), recipient.orcpt());
    }
}
