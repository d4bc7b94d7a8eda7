package org.postern.smtp;

/**
 * Every fixed reply Postern sends, defined once with its enhanced status code (RFC 3463, RFC 5248).
 * Commands pick a constant; a few add the argument they answer with {@link SmtpReply#withText}.
 */
public final class Replies {
    private Replies() {
    }

    // 2xx
    public static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "OK");
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender OK");
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient OK");
    public static final SmtpReply RESET_OK = SmtpReply.of(250, "2.0.0", "Reset OK");
    public static final SmtpReply NOOP_OK = SmtpReply.of(250, "2.0.0", "OK");
    public static final SmtpReply VRFY_CANNOT_VERIFY =
            SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static final SmtpReply HELP = SmtpReply.of(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");
    public static final SmtpReply CLOSING = SmtpReply.of(221, "2.0.0", "Bye");
    public static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");
    public static final SmtpReply START_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");

    // 3xx
    public static final SmtpReply START_MAIL_INPUT = SmtpReply.of(354, null, "End data with <CR><LF>.<CR><LF>");

    // 4xx: temporary
    public static final SmtpReply TOO_MANY_SESSIONS = SmtpReply.of(421, "4.7.0", "Too many sessions, try again later");
    public static final SmtpReply TOO_MANY_SESSIONS_FROM_CLIENT =
            SmtpReply.of(421, "4.7.0", "Too many sessions from your address, try again later");
    public static final SmtpReply TIMEOUT = SmtpReply.of(421, "4.4.2", "Timeout exceeded, closing connection");
    /** RFC 3463 4.3.2, system not accepting network messages: the relay is draining before it stops. */
    public static final SmtpReply SHUTTING_DOWN = SmtpReply.of(421, "4.3.2", "Service shutting down");
    public static final SmtpReply TOO_MANY_ERRORS = SmtpReply.of(421, "4.7.0", "Too many errors, closing connection");
    public static final SmtpReply TOO_MANY_MESSAGES =
            SmtpReply.of(421, "4.7.0", "Too many messages in this session, closing connection");
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients");
    /** Password guessing: the client address is over postern.auth.max-failures (policy.AuthFailureLimiter). */
    public static final SmtpReply AUTH_TOO_MANY_FAILURES =
            SmtpReply.of(454, "4.7.0", "Too many authentication failures, try again later");
    public static final SmtpReply INSUFFICIENT_STORAGE = SmtpReply.of(452, "4.3.1", "Insufficient system storage");
    public static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Local error in processing, try again later");
    public static final SmtpReply LOCAL_ERROR_CLOSING = SmtpReply.of(421, "4.3.0", "Local error, closing connection");
    public static final SmtpReply HELO_ARGUMENT_REQUIRED = SmtpReply.of(501, "5.5.4", "EHLO/HELO requires a domain or address literal");
    public static final SmtpReply VRFY_ARGUMENT_REQUIRED = SmtpReply.of(501, "5.5.4", "VRFY requires an argument");
    public static final SmtpReply NO_ARGUMENTS = SmtpReply.of(501, "5.5.4", "This command takes no arguments");

    // 5xx: permanent
    public static final SmtpReply SYNTAX_ERROR = SmtpReply.of(500, "5.5.2", "Syntax error, command unrecognized");
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Line too long");
    public static final SmtpReply BARE_LINE_ENDING_IN_COMMAND =
            SmtpReply.of(500, "5.5.2", "Bare CR or LF in command; lines must end with CRLF");
    public static final SmtpReply PARAMETER_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    public static final SmtpReply BAD_SENDER_SYNTAX = SmtpReply.of(501, "5.1.7", "Bad sender address syntax");
    public static final SmtpReply BAD_RECIPIENT_SYNTAX = SmtpReply.of(501, "5.1.3", "Bad recipient address syntax");
    public static final SmtpReply UNQUALIFIED_ADDRESS = SmtpReply.of(553, "5.1.3", "Address must be fully qualified");
    public static final SmtpReply HELO_NOT_QUALIFIED = SmtpReply.of(501, "5.5.4", "HELO name must be fully qualified");
    public static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Command not implemented");
    public static final SmtpReply BAD_SEQUENCE = SmtpReply.of(503, "5.5.1", "Bad sequence of commands");
    public static final SmtpReply HELO_FIRST = SmtpReply.of(503, "5.5.1", "Send EHLO or HELO first");
    public static final SmtpReply MAIL_FIRST = SmtpReply.of(503, "5.5.1", "Need MAIL command first");
    public static final SmtpReply RCPT_FIRST = SmtpReply.of(503, "5.5.1", "Need RCPT command first");
    public static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Sender already specified");
    public static final SmtpReply ALREADY_TLS = SmtpReply.of(503, "5.5.1", "TLS already active");
    public static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Already authenticated");
    public static final SmtpReply AUTH_NOT_DURING_MAIL = SmtpReply.of(503, "5.5.1", "AUTH not permitted during a mail transaction");
    public static final SmtpReply PARAMETER_NOT_RECOGNIZED =
            SmtpReply.of(555, "5.5.4", "MAIL FROM/RCPT TO parameter not recognized or not implemented");
    public static final SmtpReply UNKNOWN_AUTH_MECHANISM = SmtpReply.of(504, "5.5.4", "Unrecognized authentication mechanism");
    public static final SmtpReply AUTH_CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication cancelled");
    public static final SmtpReply AUTH_INVALID_BASE64 = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    public static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");
    public static final SmtpReply ENCRYPTION_REQUIRED_FOR_AUTH =
            SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static final SmtpReply RELAY_DENIED = SmtpReply.of(550, "5.7.1", "Relaying denied");
    public static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static final SmtpReply BARE_LINE_ENDING_IN_DATA =
            SmtpReply.of(550, "5.6.0", "Message contains a bare CR or LF; lines must end with CRLF");
    public static final SmtpReply NUL_IN_DATA = SmtpReply.of(550, "5.6.0", "Message contains a NUL character");
    public static final SmtpReply DATA_LINE_TOO_LONG = SmtpReply.of(550, "5.6.0", "Message contains a line that is too long");
    public static final SmtpReply SMTPUTF8_REQUIRED =
            SmtpReply.of(553, "5.6.7", "Non-ASCII address requires the SMTPUTF8 parameter");
    /** A header check refused the message; the text is the check's own (postern.header-checks). */
    public static final SmtpReply HEADER_CHECK_REJECTED = SmtpReply.of(550, "5.7.1", "Header check failed");
    /** More header than the header checks can hold (sendmail's MaxHeadersLength). */
    public static final SmtpReply HEADERS_TOO_LARGE = SmtpReply.of(552, "5.6.0", "Headers too large");
    public static final SmtpReply BDAT_AFTER_FAILED_CHUNK = SmtpReply.of(503, "5.5.1", "Transaction failed; send RSET");
}
