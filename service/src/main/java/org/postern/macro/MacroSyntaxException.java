package org.postern.macro;

/** A template that is not valid sendmail macro syntax; the message says what and where. */
public final class MacroSyntaxException extends IllegalArgumentException {

    public MacroSyntaxException(String message) {
        super(message);
    }
}
