package org.postern.e2e;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The SMTP smuggling payloads published by SEC Consult (December 2023; CVE-2023-51764 Postfix,
 * CVE-2023-51765 sendmail, CVE-2023-51766 Exim): a first message whose content ends with a
 * non-standard end-of-data sequence, followed by a whole second transaction from a spoofed sender.
 * A server that takes the odd sequence for the end of the data runs the smuggled commands.
 */
final class SmugglingPayloads {
    private SmugglingPayloads() {
    }

    static final String LEGIT_SENDER = "legit@example.com";
    static final String SPOOFED_SENDER = "spoof@example.com";
    static final String VICTIM = "victim@example.net";

    static final String FIRST_CONTENT = "From: legit@example.com\r\nSubject: smuggling test\r\n\r\nlegit body";

    /** The smuggled transaction, ended by the real CRLF "." CRLF that the client sends at the end. */
    static final String SMUGGLED = "MAIL FROM:<" + SPOOFED_SENDER + ">\r\n"
            + "RCPT TO:<" + VICTIM + ">\r\n"
            + "DATA\r\n"
            + "From: ceo@example.com\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n"
            + ".\r\n";

    /**
     * Each end-of-data variant, its printable name, and whether it contains a bare CR or LF (those
     * must be refused in reject mode; the others are ordinary content).
     */
    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("<LF>.<LF>", "\n.\n", true),
                Arguments.of("<LF>.<CR><LF>", "\n.\r\n", true),
                Arguments.of("<CR>.<CR>", "\r.\r", true),
                Arguments.of("<CR>.<LF>", "\r.\n", true),
                Arguments.of("<CR><LF>.<LF>", "\r\n.\n", true),
                Arguments.of("<CR><LF>.<CR>", "\r\n.\r", true),
                Arguments.of("<LF>.<CR>", "\n.\r", true),
                Arguments.of("<LF><LF>.<LF><LF>", "\n\n.\n\n", true),
                Arguments.of("<CR><LF><CR>.<CR><LF>", "\r\n\r.\r\n", true),
                Arguments.of(".<CR><LF> inside a line", ".\r\n", false),
                Arguments.of("<CR><LF>.<NUL><CR><LF>", "\r\n.\0\r\n", false));
    }

    /** What the attacker's client sends after the 354: first content, odd ending, smuggled transaction. */
    static String payload(String endOfData) {
        return FIRST_CONTENT + endOfData + SMUGGLED;
    }
}
