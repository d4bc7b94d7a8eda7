package org.postern.mailer;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.time.Duration;
import java.util.Objects;

/**
 * One mailer, as sendmail's {@code M} line defines it, reduced to the fields a network relay uses.
 * Fields that only make sense for local delivery or programs (Directory, Userid, Nice, {@code /=},
 * a program Path, Queuegroup) have no place here; {@code org.postern.config.MailerLineParser} and the configuration
 * reject them with the reason. Flags are checked by {@link MailerFlags}.
 *
 * @param name               the mailer's name, as used in routes ({@code relay:[host]})
 * @param protocol           {@code P=[IPC]} is SMTP; {@code P=[LMTP]} or flag {@code z} is LMTP
 * @param flags              {@code F=}: sendmail mailer flags, normalised (no spaces, no repeats)
 * @param senderRewriting    {@code S=}: rule sets for sender addresses (envelope/header)
 * @param recipientRewriting {@code R=}: rule sets for recipient addresses (envelope/header)
 * @param port               the TCP port ({@code A=TCP $h port}); 25 unless the Argv or a route names another
 * @param eol                {@code E=}: the end of line; always CRLF, which SMTP and LMTP require
 * @param maxSize            {@code M=}: largest message in octets this mailer takes; 0 is no limit
 * @param maxMessages        {@code m=}: messages delivered over one connection before it is closed; 0 is no limit
 * @param recipients         {@code r=}: recipients in one transaction when flag {@code m} is set
 * @param lineLimit          {@code L=}: longest line in octets, without the CRLF; longer lines are broken
 *                           as sendmail does ({@code !}, CRLF, space); 0 is no limit
 * @param type               {@code T=}: the types in delivery status notifications
 * @param waitTime           {@code W=}: how long to wait for the reply to the final dot; null for
 *                           {@code postern.timeouts.data-final}
 * @param charset            {@code C=}: the charset assumed for unlabelled 8-bit text when converting
 *                           to 7 bit; null for {@code unknown-8bit}
 */
public record MailerDefinition(String name, MailerProtocol protocol, String flags, RewritingRef senderRewriting,
        RewritingRef recipientRewriting, int port, String eol, long maxSize, int maxMessages, int recipients,
        int lineLimit, MailerType type, Duration waitTime, String charset) {

    /** sendmail's default {@code r=}; also the RFC 5321 §4.5.3.1.8 minimum a server must accept. */
    public static final int DEFAULT_RECIPIENTS = 100;
    /** The line limit flag {@code L} implies without {@code L=}: RFC 821's 1000 less CRLF and slack. */
    public static final int SMTP_LINE_LIMIT = 990;
    /** The only end of line SMTP and LMTP allow. */
    public static final String CRLF = "\r\n";
    /** The SMTP port, sendmail's default for {@code A=TCP $h}. */
    public static final int SMTP_PORT = 25;

    public MailerDefinition {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a mailer name");
        }
        flags = MailerFlags.check(flags);
        protocol = protocol == null ? MailerProtocol.SMTP : protocol;
        if (flags.indexOf('z') >= 0) {
            protocol = MailerProtocol.LMTP; // sendmail: "Run Local Mail Transfer Protocol (LMTP)"
        }
        senderRewriting = senderRewriting == null ? RewritingRef.NONE : senderRewriting;
        recipientRewriting = recipientRewriting == null ? RewritingRef.NONE : recipientRewriting;
        eol = eol == null ? CRLF : eol;
        if (!eol.equals(CRLF)) {
            throw new IllegalArgumentException("E= must be \\r\\n: SMTP and LMTP end every line with CRLF"
                    + " (RFC 5321 §2.3.8), and a bare LF is what SMTP smuggling exploits");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxsize (M=) must not be negative: " + maxSize);
        }
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxmessages (m=) must not be negative: " + maxMessages);
        }
        if (recipients < 1) {
            throw new IllegalArgumentException("recipients (r=) must be at least 1: " + recipients);
        }
        if (lineLimit < 0) {
            throw new IllegalArgumentException("linelimit (L=) must not be negative: " + lineLimit);
        }
        if (lineLimit == 0 && flags.indexOf('L') >= 0) {
            lineLimit = SMTP_LINE_LIMIT; // sendmail's makemailer: flag L without L= means SMTPLINELIM
        }
        if (lineLimit > 0 && lineLimit < 3) {
            // a broken line is "<up to L-1 octets>!" then " <up to L-2 octets>!": it needs room to progress
            throw new IllegalArgumentException("linelimit (L=) must be 0 (no limit) or at least 3: " + lineLimit);
        }
        type = type == null ? MailerType.DEFAULT : type;
        if (waitTime != null && (waitTime.isNegative() || waitTime.isZero())) {
            throw new IllegalArgumentException("wait (W=) must be positive: " + waitTime);
        }
        if (charset != null) {
            charset = charset.strip();
            if (!isCharsetName(charset)) {
                throw new IllegalArgumentException("charset (C=) '" + charset + "' is not a MIME charset name");
            }
        }
    }

    /** A mailer with sendmail's defaults for the fields not given: SMTP, port 25, r=100, no limits. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this definition's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(name).protocol(protocol).flags(flags).senderRewriting(senderRewriting)
                .recipientRewriting(recipientRewriting).port(port).eol(eol).maxSize(maxSize).maxMessages(maxMessages)
                .recipients(recipients).lineLimit(lineLimit).type(type).waitTime(waitTime).charset(charset);
    }

    /** This mailer under another name (the configuration key that defines it). */
    public MailerDefinition withName(String newName) {
        return new MailerDefinition(newName, protocol, flags, senderRewriting, recipientRewriting, port, eol, maxSize,
                maxMessages, recipients, lineLimit, type, waitTime, charset);
    }

    public boolean hasFlag(char flag) {
        return flags.indexOf(flag) >= 0;
    }

    /** Recipients per transaction: {@code r=} with flag {@code m}, otherwise one. */
    public int recipientsPerTransaction() {
        return hasFlag('m') ? recipients : 1;
    }

    /** The mailer as sendmail would write its {@code M} line (the fields Postern keeps). */
    public String toLine() {
        StringBuilder s = new StringBuilder("M").append(name)
                .append(", P=").append(protocol == MailerProtocol.LMTP && !hasFlag('z') ? "[LMTP]" : "[IPC]")
                .append(", F=").append(flags);
        if (!senderRewriting.isNone()) {
            s.append(", S=").append(senderRewriting);
        }
        if (!recipientRewriting.isNone()) {
            s.append(", R=").append(recipientRewriting);
        }
        s.append(", E=\\r\\n");
        if (lineLimit > 0) {
            s.append(", L=").append(lineLimit);
        }
        if (maxSize > 0) {
            s.append(", M=").append(maxSize);
        }
        if (maxMessages > 0) {
            s.append(", m=").append(maxMessages);
        }
        if (recipients != DEFAULT_RECIPIENTS) {
            s.append(", r=").append(recipients);
        }
        if (charset != null) {
            s.append(", C=").append(charset);
        }
        s.append(", T=").append(type);
        if (waitTime != null) {
            s.append(", W=").append(waitTime.toSeconds()).append('s');
        }
        return s.append(", A=TCP $h").append(port == SMTP_PORT ? "" : " " + port).toString();
    }

    private static boolean isCharsetName(String name) {
        // RFC 2978 mime-charset: 1*mime-charset-chars; Java need not know it (it is only a label)
        if (!name.matches("[A-Za-z0-9!#$%&'+\\-^_`{}~]+")) {
            return false;
        }
        try {
            Charset.isSupported(name);
            return true;
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Builds a {@link MailerDefinition}; unset fields take sendmail's defaults. */
    public static final class Builder {
        private final String name;
        private MailerProtocol protocol = MailerProtocol.SMTP;
        private String flags = "";
        private RewritingRef senderRewriting = RewritingRef.NONE;
        private RewritingRef recipientRewriting = RewritingRef.NONE;
        private int port = SMTP_PORT;
        private String eol = CRLF;
        private long maxSize;
        private int maxMessages;
        private int recipients = DEFAULT_RECIPIENTS;
        private int lineLimit;
        private MailerType type = MailerType.DEFAULT;
        private Duration waitTime;
        private String charset;

        private Builder(String name) {
            this.name = name;
        }

        public Builder protocol(MailerProtocol v) {
            protocol = v;
            return this;
        }

        public Builder flags(String v) {
            flags = v;
            return this;
        }

        public Builder senderRewriting(RewritingRef v) {
            senderRewriting = v;
            return this;
        }

        public Builder recipientRewriting(RewritingRef v) {
            recipientRewriting = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder eol(String v) {
            eol = v;
            return this;
        }

        public Builder maxSize(long v) {
            maxSize = v;
            return this;
        }

        public Builder maxMessages(int v) {
            maxMessages = v;
            return this;
        }

        public Builder recipients(int v) {
            recipients = v;
            return this;
        }

        public Builder lineLimit(int v) {
            lineLimit = v;
            return this;
        }

        public Builder type(MailerType v) {
            type = v;
            return this;
        }

        public Builder waitTime(Duration v) {
            waitTime = v;
            return this;
        }

        public Builder charset(String v) {
            charset = v;
            return this;
        }

        public MailerDefinition build() {
            return new MailerDefinition(name, protocol, flags, senderRewriting, recipientRewriting, port, eol,
                    maxSize, maxMessages, recipients, lineLimit, type, waitTime, charset);
        }
    }
}
