package org.postern.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.postern.smtp.Envelope;

/**
 * Everything {@link DeliveryStatusNotification} needs besides the original content: who reports,
 * about which message, and what happened to which recipients.
 *
 * @param reportingMta    our host name, for Reporting-MTA and the MAILER-DAEMON address
 * @param original        the envelope of the message reported on; its sender receives the DSN
 * @param recipients      one report per recipient to notify about, in envelope order
 * @param now             the DSN's Date
 * @param returnContent   RET=FULL honoured: return the whole message (up to {@code contentLimit});
 *                        false returns its header block only, as for RET=HDRS. RFC 3461 §4.3
 *                        applies RET to failure notices; for delay and success notices pass false.
 * @param contentLimit    the largest original, in octets, returned whole; a larger one is
 *                        returned as its header block
 * @param messageIdDomain the right-hand side of the DSN's Message-ID; null uses {@code reportingMta}
 */
public record DsnRequest(
        String reportingMta,
        Envelope original,
        List<RecipientReport> recipients,
        Instant now,
        boolean returnContent,
        long contentLimit,
        String messageIdDomain) {

    public DsnRequest {
        Objects.requireNonNull(reportingMta, "reportingMta");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(now, "now");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports on at least one recipient");
        }
        if (contentLimit < 0) {
            throw new IllegalArgumentException("contentLimit must not be negative");
        }
        if (messageIdDomain == null) {
            messageIdDomain = reportingMta;
        }
    }
}
