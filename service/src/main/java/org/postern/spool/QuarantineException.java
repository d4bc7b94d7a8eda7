package org.postern.spool;

import java.io.IOException;

/**
 * A spool file is corrupt (truncated, bad CRC, bad version marker, unparsable envelope). Thrown by
 * the format readers; when it escapes {@link Spool#read}, {@link Spool#openContent} or the content
 * stream, the file has already been moved to {@code quarantine/}, so the caller should forget the
 * message rather than retry.
 */
public final class QuarantineException extends IOException {

    private static final long serialVersionUID = 1L;

    public QuarantineException(String reason) {
        super(reason);
    }

    /** The reason without any file name, as recorded in the quarantine log. */
    public String reason() {
        return getMessage();
    }
}
