package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.Spool;
import org.postern.spool.SpoolWriter;

/**
 * Writes delivery status notifications (RFC 3464) into the spool, from the null sender to the
 * original sender, so they travel through the same queue as any other mail. A message's final DSN
 * is spooled as {@code <queue-id>-D} and its delay notice as {@code <queue-id>-W}: if Postern dies
 * after spooling a DSN but before removing the original, the retry finds the DSN already there
 * instead of sending a second one.
 */
final class Bouncer {

    /** A DSN now in the spool, to be queued for delivery. */
    record Spooled(Envelope envelope, long contentLength) {
    }

    private final Spool spool;
    private final String reportingMta;
    private final long contentLimit;
    private final Clock clock;

    Bouncer(Spool spool, String reportingMta, long contentLimit, Clock clock) {
        this.spool = spool;
        this.reportingMta = reportingMta;
        this.contentLimit = contentLimit;
        this.clock = clock;
    }

    /**
     * Spools a DSN about {@code message} with the given recipient reports.
     *
     * @param suffix {@code D} for the final report, {@code W} for the delay notice
     * @param full   whether the original content is returned whole (RET=FULL, or failures without RET)
     * @return the spooled DSN, or null when a previous run had already spooled it
     */
    Spooled spool(QueuedMessage message, List<RecipientReport> reports, String suffix, boolean full)
            throws IOException {
        Envelope original = message.envelope;
        Instant now = clock.instant();
        String id = original.queueId() + "-" + suffix;
        DsnRequest request = new DsnRequest(reportingMta, original, reports, now, full, contentLimit, reportingMta);
        // The spool header is written before the content, so BODY and SMTPUTF8 come from the
        // original: a DSN is 8-bit or UTF-8 only by quoting an original that was.
        SpoolWriter writer;
        DeliveryStatusNotification.Result result;
        Envelope provisional = envelope(id, now, original.sender(), original.body(),
                original.smtpUtf8() || original.sender().isInternationalized(), original.sourceAddress());
        try {
            writer = spool.create(provisional);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
        try (InputStream content = spool.openContent(original.queueId())) {
            result = DeliveryStatusNotification.write(request, content, writer.content());
            writer.commit();
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
        return new Spooled(provisional, result.size());
    }

    /** @param source DaemonPortOptions {@code b}: a DSN leaves from the address its original came in on */
    private static Envelope envelope(String id, Instant now, MailAddress to, org.postern.smtp.BodyType body,
            boolean smtpUtf8, String source) {
        return new Envelope(id, now, MailAddress.NULL_SENDER, List.of(Recipient.of(to)), body, smtpUtf8, null, null,
                null, null, null, null, null, null, source);
    }

    /** RET=FULL returns the message, RET=HDRS its headers; without RET, failures return it whole. */
    static boolean returnFull(Envelope original, boolean failure) {
        return original.ret() == DsnReturn.FULL || original.ret() == null && failure;
    }
}
