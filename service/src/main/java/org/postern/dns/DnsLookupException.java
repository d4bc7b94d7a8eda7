package org.postern.dns;

import java.util.Objects;
import org.postern.smtp.SmtpReply;

/**
 * A lookup that gave no usable answer, classified as a mail system sees it: permanent (the
 * recipient bounces) or temporary (the message stays queued), with the RFC 3463 enhanced status
 * code to report. The message text may be shown to a peer and in a DSN, so it never names a DNS
 * server, a configured host or an exception; details go to the log instead.
 */
public final class DnsLookupException extends Exception {

    private final boolean permanent;
    private final String enhancedStatus;

    /**
     * @param enhancedStatus class 5 when permanent, class 4 when temporary (for example "5.1.2", "4.4.3")
     * @param message        text safe to show to a peer
     */
    public DnsLookupException(boolean permanent, String enhancedStatus, String message) {
        // No stack trace: these are expected outcomes, thrown often, never bugs.
        super(Objects.requireNonNull(message, "message"), null, false, false);
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        if (!enhancedStatus.matches("[45]\\.\\d{1,3}\\.\\d{1,3}") || (enhancedStatus.charAt(0) == '5') != permanent) {
            throw new IllegalArgumentException("enhanced status " + enhancedStatus + " does not fit a "
                    + (permanent ? "permanent" : "temporary") + " failure");
        }
        this.permanent = permanent;
        this.enhancedStatus = enhancedStatus;
    }

    public static DnsLookupException permanent(String enhancedStatus, String message) {
        return new DnsLookupException(true, enhancedStatus, message);
    }

    public static DnsLookupException temporary(String enhancedStatus, String message) {
        return new DnsLookupException(false, enhancedStatus, message);
    }

    /** True when retrying cannot help: the recipient should bounce. */
    public boolean permanent() {
        return permanent;
    }

    /** The RFC 3463 status code, such as "5.1.2" (no such domain) or "4.4.3" (DNS failure). */
    public String enhancedStatus() {
        return enhancedStatus;
    }

    /** The failure as an SMTP reply for a DSN or a log line: 550 when permanent, 451 when temporary. */
    public SmtpReply toReply() {
        return SmtpReply.of(permanent ? 550 : 451, enhancedStatus, getMessage());
    }
}
