package org.postern.e2e;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The SMTP smuggling payloads published by SEC Consult (December 2023; CVE-2023-51764 Postfix,
 * CVE-2023-51765 sendmail, CVE-2023-51766 Exim): a first message whose content ends with a
 * non-standard end-of-data sequence, followed by a whole second transaction from a spoofed sender.
 * A server that takes the odd sequence for the end of the data runs the smuggled commands. Used by
 * {@code org.postern.security.SmugglingVariantsTest} (every variant, DATA and BDAT, both
 * {@code bare-line-endings} modes) and the smuggling scenarios here.
 */
public final class SmugglingPayloads {
    private SmugglingPayloads() {
    }

    public static final String LEGIT_SENDER = "legit@example.com";
    public static final String SPOOFED_SENDER = "spoof@example.com";
    public static final String VICTIM = "victim@example.net";

    public static final String FIRST_CONTENT = "From: legit@example.com\r\nSubject: smuggling test\r\n\r\nlegit body";

    /** The smuggled transaction, ended by the real CRLF "." CRLF that the client sends at the end. */
    public static final String SMUGGLED = "MAIL FROM:<" + SPOOFED_SENDER + ">\r\n"
            + "RCPT TO:<" + VICTIM + ">\r\n"
            + "DATA\r\n"
            + "From: ceo@example.com\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n"
            + ".\r\n";

    /**
     * Each end-of-data variant: its printable name, the sequence, whether it contains a bare CR or
     * LF (refused at once in reject mode, stored as CRLF in normalize mode), and whether it contains
     * a NUL (the message is refused 550 5.6.0 in either mode; the session stays in step). A variant
     * with neither is ordinary content.
     */
    public static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("<LF>.<LF>", "\n.\n", true, false),
                Arguments.of("<LF>.<CR><LF>", "\n.\r\n", true, false),
                Arguments.of("<CR>.<CR>", "\r.\r", true, false),
                Arguments.of("<CR>.<LF>", "\r.\n", true, false),
                Arguments.of("<CR>.<CR><LF>", "\r.\r\n", true, false),
                Arguments.of("<CR><LF>.<LF>", "\r\n.\n", true, false),
                Arguments.of("<CR><LF>.<CR>", "\r\n.\r", true, false),
                Arguments.of("<LF>.<CR>", "\n.\r", true, false),
                Arguments.of("<LF><LF>.<LF><LF>", "\n\n.\n\n", true, false),
                Arguments.of("<CR><LF><CR>.<CR><LF>", "\r\n\r.\r\n", true, false),
                Arguments.of(".<CR><LF> inside a line", ".\r\n", false, false),
                Arguments.of("<CR><LF>.<NUL><CR><LF>", "\r\n.\0\r\n", false, true),
                Arguments.of("<CR><LF><NUL>.<CR><LF>", "\r\n\0.\r\n", false, true),
                Arguments.of("<CR><LF>.<CR><NUL><LF>", "\r\n.\r\0\n", true, true));
    }

    /** What the attacker's client sends after the 354: first content, odd ending, smuggled transaction. */
    public static String payload(String endOfData) {
        return FIRST_CONTENT + endOfData + SMUGGLED;
    }
}
