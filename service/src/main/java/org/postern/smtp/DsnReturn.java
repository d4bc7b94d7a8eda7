package org.postern.smtp;

/** The MAIL FROM {@code RET=} parameter (RFC 3461 §4.3): how much of the message a DSN returns. */
public enum DsnReturn {
    FULL, HDRS
}
