package org.postern.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.postern.mailer.MailerType;
import org.postern.smtp.MailAddress;

/**
 * What a delivery status notification says about one recipient: the per-recipient fields of
 * RFC 3464 §2.3.
 *
 * @param finalRecipient    the envelope recipient the outcome is for
 * @param originalRecipient the ORCPT value, xtext-decoded ({@code rfc822;x@y}), or null when none was given
 * @param action            what happened
 * @param status            the RFC 3463 enhanced status code, e.g. {@code 5.1.1}
 * @param remoteMta         the host name of the next hop that answered, or null
 * @param diagnosticCode    the next hop's reply (e.g. {@code 550 5.1.1 <x@y>: user unknown}) or
 *                          our own reason, or null; line ends are flattened when written
 * @param lastAttempt       when delivery was last tried, or null if never
 * @param willRetryUntil    for {@link DsnAction#DELAYED}, when retrying stops; else null
 * @param type              the types of the mailer that produced the outcome ({@code T=}): the
 *                          Remote-MTA, Final-Recipient and Diagnostic-Code types
 */
public record RecipientReport(
        MailAddress finalRecipient,
        String originalRecipient,
        DsnAction action,
        String status,
        String remoteMta,
        String diagnosticCode,
        Instant lastAttempt,
        Instant willRetryUntil,
        MailerType type) {

    /** RFC 3464 §2.3.4: class.subject.detail, the class 2, 4 or 5. */
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public RecipientReport(MailAddress finalRecipient, String originalRecipient, DsnAction action, String status,
            String remoteMta, String diagnosticCode, Instant lastAttempt, Instant willRetryUntil) {
        this(finalRecipient, originalRecipient, action, status, remoteMta, diagnosticCode, lastAttempt,
                willRetryUntil, MailerType.DEFAULT);
    }

    public RecipientReport {
        type = type == null ? MailerType.DEFAULT : type;
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("not an enhanced status code: " + status);
        }
        if (finalRecipient.isNullSender()) {
            throw new IllegalArgumentException("the null path is not a recipient");
        }
    }
}
