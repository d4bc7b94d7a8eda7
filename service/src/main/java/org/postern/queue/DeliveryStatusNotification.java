package org.postern.queue;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.postern.smtp.BodyType;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Mime8to7Spill;

/**
 * Writes a delivery status notification (RFC 3464): a {@code multipart/report} (RFC 6522) to the
 * original sender with a human-readable explanation, the machine-readable
 * {@code message/delivery-status}, and the returned message or its header block.
 *
 * <p>When the original transaction used SMTPUTF8, or any address involved is internationalized, the
 * RFC 6533 types are used instead: {@code message/global-delivery-status}, {@code message/global}
 * and {@code message/global-headers}, with the {@code utf-8} address type for non-ASCII addresses;
 * the DSN then has to travel with SMTPUTF8 ({@link Result#smtpUtf8()}). Otherwise all text the
 * notice generates is ASCII, non-ASCII octets in a peer's reply shown as {@code ?}.
 *
 * <p>The original content is read once, into a {@link Mime8to7Spill} (heap, then a temporary file):
 * to its end while it is within {@link DsnRequest#contentLimit()} and the whole is to be returned,
 * else only up to the end of its header block. Whether it fits is thus known from the octets
 * themselves, not from a size recorded elsewhere, before the third part's header is written.
 * Memory stays bounded for any size.
 */
public final class DeliveryStatusNotification {

    /**
     * How to spool the notice.
     *
     * @param body     8BITMIME when the notice holds 8-bit octets (returned content, UTF-8 text)
     * @param smtpUtf8 whether the notice needs SMTPUTF8 (RFC 6533 types, UTF-8 addresses)
     * @param size     octets written
     */
    public record Result(BodyType body, boolean smtpUtf8, long size) {
    }

    /** RFC 5322 §3.3 date-time, numeric zone. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MESSAGE_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Folding target for generated header and status fields (RFC 5322 §2.1.1 "should"). */
    private static final int FOLD = 78;
    /** Longest diagnostic kept; a peer's multi-line reply can be long, a DSN need not repeat all of it. */
    private static final int MAX_DIAGNOSTIC = 2000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeliveryStatusNotification() {
    }

    /** Writes the notice to {@code out}, with temporary files in {@code java.io.tmpdir}; closes neither stream. */
    public static Result write(DsnRequest req, InputStream originalContent, OutputStream out) throws IOException {
        return write(req, originalContent, out, null);
    }

    /**
     * Writes the notice to {@code out}; closes neither stream.
     *
     * @param tempDirectory where a returned message past 64 KiB is held meanwhile; null for {@code java.io.tmpdir}
     * @throws IllegalArgumentException when the original sender is the null path: a notice about a
     *         notice is never sent (RFC 3461 §6.2, RFC 5321 §6.1)
     */
    public static Result write(DsnRequest req, InputStream originalContent, OutputStream out, Path tempDirectory)
            throws IOException {
        MailAddress sender = req.original().sender();
        if (sender.isNullSender()) {
            throw new IllegalArgumentException("no delivery status notification to the null sender");
        }
        boolean global = req.original().smtpUtf8() || sender.isInternationalized()
                || req.recipients().stream().anyMatch(r -> r.finalRecipient().isInternationalized()
                        || (r.originalRecipient() != null && !isAscii(r.originalRecipient())));
        try (Mime8to7Spill returned = new Mime8to7Spill(tempDirectory)) {
            Returned content = readOriginal(req, originalContent, returned);
            CountingOutputStream counter = new CountingOutputStream(new BufferedOutputStream(out, 16 * 1024));
            boolean eightBit = new Writer(req, global, counter).write(content, returned);
            counter.flush();
            return new Result(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT, global, counter.count);
        }
    }

    /**
     * What of the original is returned: all of it ({@code full}) or the first {@code headerEnd}
     * octets, its header fields without the empty line after them.
     */
    private record Returned(boolean full, long headerEnd, boolean eightBit) {
    }

    private static Returned readOriginal(DsnRequest req, InputStream in, Mime8to7Spill into) throws IOException {
        byte[] buf = new byte[8192];
        long headerEnd = -1;
        long lineStart = 0;
        boolean lineEmpty = true; // nothing but a CR so far on the current line
        boolean headerEightBit = false;
        boolean bodyEightBit = false;
        boolean complete = false;
        while (true) {
            if (headerEnd >= 0 && (!req.returnContent() || into.size() > req.contentLimit())) {
                break; // the header block is all that will be returned: read no further
            }
            int n = in.read(buf);
            if (n < 0) {
                complete = true;
                break;
            }
            long base = into.size();
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (headerEnd >= 0) {
                    bodyEightBit |= b < 0;
                    continue;
                }
                headerEightBit |= b < 0;
                if (b == '\n') {
                    if (lineEmpty) {
                        headerEnd = lineStart;
                    } else {
                        lineStart = base + i + 1;
                        lineEmpty = true;
                    }
                } else if (b != '\r') {
                    lineEmpty = false;
                }
            }
            into.write(buf, 0, n);
        }
        if (headerEnd < 0) {
            headerEnd = into.size(); // no empty line: the message is all header
        }
        boolean full = req.returnContent() && complete && into.size() <= req.contentLimit();
        return new Returned(full, headerEnd, headerEightBit || (full && bodyEightBit));
    }

    /** Composes the three parts. */
    private static final class Writer {
        private final DsnRequest req;
        private final boolean global;
        private final OutputStream out;
        private final String boundary;
        private final DsnAction headline;

        Writer(DsnRequest req, boolean global, OutputStream out) {
            this.req = req;
            this.global = global;
            this.out = out;
            byte[] random = new byte[12];
            RANDOM.nextBytes(random);
            // "=_" cannot occur in quoted-printable or base64 text; the random part in anything else.
            this.boundary = "=_dsn_" + HexFormat.of().formatHex(random);
            this.headline = headline(req.recipients());
        }

        /** Returns whether anything 8-bit was written. */
        boolean write(Returned content, Mime8to7Spill returned) throws IOException {
            String text = humanReadable(content.full());
            String status = deliveryStatus();
            boolean textEightBit = !isAscii(text);
            boolean statusEightBit = !isAscii(status);

            field("From", "Mail Delivery System <MAILER-DAEMON@" + clean(req.reportingMta()) + ">");
            field("To", "<" + req.original().sender() + ">");
            field("Subject", subject());
            field("Date", DATE.format(req.now()));
            field("Message-ID", messageId());
            field("Auto-Submitted", "auto-replied");
            field("MIME-Version", "1.0");
            field("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
            line("");
            line("This is a MIME-encapsulated message.");

            delimiter();
            field("Content-Description", "Notification");
            field("Content-Type", "text/plain; charset=" + (textEightBit ? "utf-8" : "us-ascii"));
            if (textEightBit) {
                field("Content-Transfer-Encoding", "8bit");
            }
            line("");
            out.write(text.getBytes(StandardCharsets.UTF_8));

            delimiter();
            field("Content-Description", "Delivery report");
            field("Content-Type", global ? "message/global-delivery-status" : "message/delivery-status");
            if (statusEightBit) {
                field("Content-Transfer-Encoding", "8bit");
            }
            line("");
            out.write(status.getBytes(StandardCharsets.UTF_8));

            delimiter();
            if (content.full()) {
                field("Content-Description", headline == DsnAction.FAILED ? "Undelivered Message" : "Message");
                field("Content-Type", global ? "message/global" : "message/rfc822");
            } else {
                field("Content-Description", "Message Headers");
                field("Content-Type", global ? "message/global-headers" : "text/rfc822-headers");
            }
            if (content.eightBit()) {
                field("Content-Transfer-Encoding", "8bit");
            }
            line("");
            long length = content.full() ? returned.size() : content.headerEnd();
            try (InputStream in = returned.openInputStream()) {
                copy(in, length);
            }
            // The line end before a boundary belongs to the boundary (RFC 2046 §5.1.1), so the
            // returned octets end exactly where the original did.
            line("");
            line("--" + boundary + "--");
            return textEightBit || statusEightBit || content.eightBit();
        }

        private String subject() {
            return switch (headline) {
                case FAILED -> "Undelivered Mail Returned to Sender";
                case DELAYED -> "Delayed Mail (still being retried)";
                default -> "Successful Mail Delivery Report";
            };
        }

        private String messageId() {
            byte[] random = new byte[6];
            RANDOM.nextBytes(random);
            String queueId = req.original().queueId().replaceAll("[^A-Za-z0-9]", "");
            return "<" + MESSAGE_ID_TIME.format(req.now()) + "." + queueId + "." + HexFormat.of().formatHex(random)
                    + "@" + clean(req.messageIdDomain()) + ">";
        }

        /** Part 1: what happened, for a person. */
        private String humanReadable(boolean fullReturned) {
            StringBuilder b = new StringBuilder();
            b.append("This is the mail system at host ").append(clean(req.reportingMta())).append(".\r\n\r\n");
            List<RecipientReport> failed = having(DsnAction.FAILED);
            List<RecipientReport> delayed = having(DsnAction.DELAYED);
            List<RecipientReport> done = new ArrayList<>();
            for (RecipientReport r : req.recipients()) {
                if (r.action() != DsnAction.FAILED && r.action() != DsnAction.DELAYED) {
                    done.add(r);
                }
            }
            if (!failed.isEmpty()) {
                b.append("Your message could not be delivered to the recipients below, and delivery\r\n")
                        .append("will not be tried again. It is attached")
                        .append(fullReturned ? "" : " (its headers only)")
                        .append(" at the end of this report.\r\n\r\n");
                recipientLines(b, failed);
            }
            if (!delayed.isEmpty()) {
                b.append("This is a warning only; you do not need to send your message again.\r\n")
                        .append("It could not be delivered yet to the recipients below. Delivery\r\n")
                        .append("will be tried again until the time shown.\r\n\r\n");
                recipientLines(b, delayed);
            }
            if (!done.isEmpty()) {
                b.append("Your message was delivered or passed on as shown for the recipients below.\r\n")
                        .append("A system it was relayed to may still send its own reports.\r\n\r\n");
                recipientLines(b, done);
            }
            b.append("For help, write to the postmaster of ").append(clean(req.reportingMta()))
                    .append(" and include this report.\r\n");
            return b.toString();
        }

        private List<RecipientReport> having(DsnAction action) {
            return req.recipients().stream().filter(r -> r.action() == action).toList();
        }

        private void recipientLines(StringBuilder b, List<RecipientReport> reports) {
            for (RecipientReport r : reports) {
                StringBuilder s = new StringBuilder("<").append(address(r.finalRecipient())).append(">: ");
                String diagnostic = r.diagnosticCode() == null ? null : clean(r.diagnosticCode());
                switch (r.action()) {
                    case FAILED, DELAYED -> {
                        if (r.remoteMta() != null && diagnostic != null) {
                            s.append("host ").append(clean(r.remoteMta())).append(" said: ").append(diagnostic);
                        } else if (diagnostic != null) {
                            s.append(diagnostic);
                        } else {
                            s.append(r.action() == DsnAction.FAILED ? "delivery failed" : "delivery deferred");
                        }
                        s.append(" (status ").append(r.status()).append(')');
                        if (r.action() == DsnAction.DELAYED && r.willRetryUntil() != null) {
                            s.append("; will retry until ").append(DATE.format(r.willRetryUntil()));
                        }
                    }
                    case DELIVERED -> {
                        s.append("delivered");
                        if (r.remoteMta() != null) {
                            s.append(" to host ").append(clean(r.remoteMta()));
                        }
                        if (diagnostic != null) {
                            s.append(", which said: ").append(diagnostic);
                        }
                    }
                    case RELAYED -> {
                        s.append("relayed");
                        if (r.remoteMta() != null) {
                            s.append(" to host ").append(clean(r.remoteMta()));
                        }
                        s.append(", which sends no delivery notifications");
                    }
                    case EXPANDED -> s.append("delivered to a list or alias, which passed it on");
                }
                wrap(b, s.toString());
                b.append("\r\n");
            }
        }

        /** Part 2: the RFC 3464 §2.2 per-message fields, then §2.3 per-recipient groups. */
        private String deliveryStatus() {
            StringBuilder b = new StringBuilder();
            if (req.original().envId() != null) {
                b.append(fold("Original-Envelope-Id", clean(req.original().envId())));
            }
            b.append(fold("Reporting-MTA", "dns; " + clean(req.reportingMta())));
            b.append(fold("Arrival-Date", DATE.format(req.original().arrival())));
            // Extension fields come last (RFC 3464 §2.2); the queue id lets a postmaster find the logs.
            b.append(fold("X-Postern-Queue-ID", clean(req.original().queueId())));
            b.append(fold("X-Postern-Sender", addressType(req.original().sender()) + "; "
                    + address(req.original().sender())));
            for (RecipientReport r : req.recipients()) {
                b.append("\r\n");
                if (r.originalRecipient() != null) {
                    b.append(fold("Original-Recipient", clean(r.originalRecipient())));
                }
                // The mailer's T= names the types (sendmail writes them from m_addrtype, m_mtatype, m_diagtype).
                b.append(fold("Final-Recipient", addressType(r.finalRecipient(), r.type().addr()) + "; "
                        + address(r.finalRecipient())));
                b.append(fold("Action", r.action().keyword()));
                b.append(fold("Status", r.status()));
                if (r.remoteMta() != null) {
                    b.append(fold("Remote-MTA", r.type().mta() + "; " + clean(r.remoteMta())));
                }
                if (r.diagnosticCode() != null) {
                    String d = clean(r.diagnosticCode());
                    // RFC 3464 §2.3.6: "smtp" for an SMTP reply; a reason of our own gets our own type.
                    String type = d.matches("[2-5]\\d\\d([ -].*)?") ? r.type().diag() : "X-Postern";
                    b.append(fold("Diagnostic-Code", type + "; " + d));
                }
                if (r.lastAttempt() != null) {
                    b.append(fold("Last-Attempt-Date", DATE.format(r.lastAttempt())));
                }
                if (r.action() == DsnAction.DELAYED && r.willRetryUntil() != null) {
                    b.append(fold("Will-Retry-Until", DATE.format(r.willRetryUntil())));
                }
            }
            return b.toString();
        }

        /** RFC 6533 §3: the utf-8 address type for an address that needs it, rfc822 otherwise. */
        private String addressType(MailAddress a) {
            return addressType(a, "rfc822");
        }

        /** As {@link #addressType(MailAddress)}, with the mailer's address type in place of rfc822. */
        private String addressType(MailAddress a, String mailerType) {
            return global && a.isInternationalized() ? "utf-8" : mailerType;
        }

        private String address(MailAddress a) {
            return clean(a.toString());
        }

        /** A field's text: no line ends or other controls, ASCII unless the notice is global, bounded. */
        private String clean(String s) {
            StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_DIAGNOSTIC));
            boolean space = false;
            for (int i = 0; i < s.length() && b.length() < MAX_DIAGNOSTIC; i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                    space = b.length() > 0;
                    continue;
                }
                if (space) {
                    b.append(' ');
                    space = false;
                }
                if (c > 127 && !global) {
                    if (!Character.isLowSurrogate(c)) {
                        b.append('?');
                    }
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        private void delimiter() throws IOException {
            line("");
            line("--" + boundary);
        }

        private void field(String name, String value) throws IOException {
            out.write(fold(name, value).getBytes(StandardCharsets.UTF_8));
        }

        private void line(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.write('\r');
            out.write('\n');
        }

        private void copy(InputStream in, long length) throws IOException {
            byte[] buf = new byte[8192];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("returned content shorter than read");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /** The most important action among the recipients: a failure outweighs a delay, a delay a success. */
    private static DsnAction headline(List<RecipientReport> reports) {
        DsnAction h = DsnAction.DELIVERED;
        for (RecipientReport r : reports) {
            if (r.action() == DsnAction.FAILED) {
                return DsnAction.FAILED;
            }
            if (r.action() == DsnAction.DELAYED) {
                h = DsnAction.DELAYED;
            }
        }
        return h;
    }

    /**
     * {@code Name: value} with CRLF, folded at spaces before {@link #FOLD} columns where it can be.
     * A word longer than a line is cut at 900 characters so no line passes RFC 5322's 998.
     */
    static String fold(String name, String value) {
        StringBuilder b = new StringBuilder(name.length() + value.length() + 8);
        b.append(name).append(':');
        int column = b.length();
        for (String word : value.split(" ", -1)) {
            while (word.length() > 900) {
                b.append("\r\n ").append(word, 0, 900);
                word = word.substring(900);
                column = 901;
            }
            if (column + 1 + word.length() > FOLD && column > name.length() + 1) {
                b.append("\r\n");
                column = 0;
            }
            b.append(' ').append(word);
            column += 1 + word.length();
        }
        return b.append("\r\n").toString();
    }

    /**
     * Appends text wrapped at spaces to lines of at most 76 characters, continuation lines indented;
     * a word longer than 900 characters is cut so no line passes RFC 5322's 998.
     */
    private static void wrap(StringBuilder b, String text) {
        int column = 0;
        for (String word : text.split(" ")) {
            while (!word.isEmpty()) {
                String piece = word.length() > 900 ? word.substring(0, 900) : word;
                word = word.substring(piece.length());
                if (column > 0 && column + 1 + piece.length() > 76) {
                    b.append("\r\n    ");
                    column = 4;
                } else if (column > 0) {
                    b.append(' ');
                    column++;
                }
                b.append(piece);
                column += piece.length();
            }
        }
        b.append("\r\n");
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /** Counts the octets of the notice for {@link Result#size()}. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
