package org.postern.rewriting;

import java.nio.charset.StandardCharsets;
import org.postern.smtp.MailAddress;

/**
 * The rewriting one mailer applies at delivery, resolved from its {@code S=} (sender) and
 * {@code R=} (recipient) fields, each an {@code envelope/header} pair of rule sets. Envelope rule
 * sets rewrite MAIL FROM and RCPT TO; header rule sets rewrite the sender headers (From, Sender,
 * Reply-To, ...) and the recipient headers (To, Cc, Bcc, ...), see {@link HeaderRewriter}. A null
 * rule set rewrites nothing. The null sender is never rewritten.
 *
 * @param envelopeSender    {@code S=} envelope part
 * @param headerSender      {@code S=} header part
 * @param envelopeRecipient {@code R=} envelope part
 * @param headerRecipient   {@code R=} header part
 */
public record MailerRewriting(RuleSet envelopeSender, RuleSet headerSender, RuleSet envelopeRecipient,
        RuleSet headerRecipient) {

    /** No rewriting: sendmail's {@code S=0, R=0}. */
    public static final MailerRewriting NONE = new MailerRewriting(null, null, null, null);

    /** MAIL FROM as sent: the envelope sender rewritten; {@code <>} as it is. */
    public MailAddress sender(MailAddress sender) {
        return envelopeSender == null || sender.isNullSender() ? sender : envelopeSender.apply(sender);
    }

    /** RCPT TO as sent. */
    public MailAddress recipient(MailAddress recipient) {
        return envelopeRecipient == null ? recipient : envelopeRecipient.apply(recipient);
    }

    public boolean rewritesHeaders() {
        return headerSender != null || headerRecipient != null;
    }

    /** The header rewriting, or null when the mailer rewrites no header. */
    public HeaderRewriter headers() {
        return rewritesHeaders() ? new HeaderRewriter(headerSender, headerRecipient) : null;
    }

    /**
     * The ORCPT parameter to send for a recipient whose address rewriting changed and that came
     * without one: RFC 3461 §4.2 lets a relay add it, holding the address it received, so that
     * DSNs from further on still name the original recipient. Null for an address that is not
     * ASCII (it would need RFC 6533's utf-8 type, which not every next hop knows).
     */
    public static String originalRecipient(MailAddress received) {
        String address = received.toString();
        StringBuilder xtext = new StringBuilder("rfc822;");
        for (byte b : address.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 127) {
                return null;
            }
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                xtext.append('+').append(String.format("%02X", c));
            } else {
                xtext.append((char) c);
            }
        }
        return xtext.toString();
    }
}
