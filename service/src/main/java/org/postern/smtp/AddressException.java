package org.postern.smtp;

/** A malformed SMTP path or mailbox; {@link #needsSmtpUtf8()} tells a non-ASCII address sent without SMTPUTF8. */
public class AddressException extends Exception {
    private final boolean needsSmtpUtf8;

    public AddressException(String reason) {
        this(reason, false);
    }

    public AddressException(String reason, boolean needsSmtpUtf8) {
        super(reason, null, false, false);
        this.needsSmtpUtf8 = needsSmtpUtf8;
    }

    public boolean needsSmtpUtf8() {
        return needsSmtpUtf8;
    }
}
