package org.postern.sendmailcf;

/**
 * The input cannot be imported: an unreadable or malformed file, m4 failing, or a result that does
 * not pass Postern's startup validation. The message names the file, line or property and the
 * reason; the command prints it and exits with status 1.
 */
public final class ImportException extends Exception {

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
