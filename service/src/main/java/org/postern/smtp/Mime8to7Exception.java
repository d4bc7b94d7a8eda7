package org.postern.smtp;

import java.io.IOException;

/**
 * The 8-bit to 7-bit conversion gave up on a message it cannot convert within its bounds (a header
 * block too large to hold, MIME nesting too deep). Unlike other {@link IOException}s from the
 * converter it is permanent: retrying the same content fails the same way (RFC 3463 5.6.5).
 */
public class Mime8to7Exception extends IOException {

    public Mime8to7Exception(String reason) {
        super(reason);
    }
}
