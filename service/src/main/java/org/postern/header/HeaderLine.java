package org.postern.header;

/**
 * One sendmail {@code H} line: either a rule that adds a header ({@link HeaderRule}) or the
 * secondary syntax that binds a header to a check ruleset ({@link HeaderValidation}).
 */
public sealed interface HeaderLine permits HeaderRule, HeaderValidation {

    /** The header name ({@code *} for the default check). */
    String name();

    /** The line in sendmail syntax, as it would stand in sendmail.cf. */
    String line();
}
