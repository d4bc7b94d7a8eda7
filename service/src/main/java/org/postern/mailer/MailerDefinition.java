package org.postern.mailer;

import java.util.Objects;

/**
 * One mailer, as sendmail's {@code M} line defines it, reduced to what a network relay uses.
 * Every Postern mailer speaks SMTP over TCP ({@code P=[IPC]}); what differs is how recipients are
 * batched, how many messages share a connection, the size limit and the port.
 *
 * @param name        the mailer's name, as used in routes ({@code relay:[host]})
 * @param flags       sendmail mailer flags; {@code m} (several recipients per transaction) matters
 *                    for delivery, the others are kept for header rules
 * @param maxMessages {@code m=}: messages delivered over one connection before it is closed; 0 is no limit
 * @param recipients  {@code r=}: recipients in one transaction when flag {@code m} is set
 * @param maxSize     {@code M=}: largest message in octets this mailer takes; 0 is no limit
 * @param port        the TCP port ({@code A=TCP $h port}); 25 unless a route names another
 */
public record MailerDefinition(String name, String flags, int maxMessages, int recipients, long maxSize, int port) {

    /** The RFC 5321 §4.5.3.1.8 minimum a server must accept in one transaction. */
    public static final int DEFAULT_RECIPIENTS = 100;

    public MailerDefinition {
        Objects.requireNonNull(name, "name");
        flags = flags == null ? "" : flags;
        if (maxMessages < 0 || recipients < 1 || maxSize < 0 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("mailer " + name + ": bad field values");
        }
    }

    public boolean hasFlag(char flag) {
        return flags.indexOf(flag) >= 0;
    }

    /** Recipients per transaction: {@code r=} with flag {@code m}, otherwise one. */
    public int recipientsPerTransaction() {
        return hasFlag('m') ? recipients : 1;
    }
}
