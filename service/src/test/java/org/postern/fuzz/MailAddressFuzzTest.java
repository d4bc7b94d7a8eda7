package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;

/**
 * Fuzzes the SMTP path and mailbox parser ({@link MailAddress#parsePath}, {@link
 * MailAddress#parseMailbox}) with and without SMTPUTF8. The input is the path as it arrives after
 * {@code MAIL FROM:} or {@code RCPT TO:}, decoded as the session decodes a command line. A path is
 * refused with {@link AddressException} and a reason, or it gives an address within RFC 5321's
 * limits that, written back as {@code <address>}, parses to the same address.
 */
class MailAddressFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void paths(byte[] input) {
        String path = new String(input, StandardCharsets.UTF_8);
        checkPath(path, false);
        checkPath(path, true);
        if (path.length() >= 2) {
            checkMailbox(path.substring(1, path.length() - 1), true);
        }
    }

    /** The properties of one path; used by {@link SmtpCommandFuzzTest} for the paths it parses. */
    static void checkPath(String path, boolean utf8) {
        MailAddress address;
        try {
            address = MailAddress.parsePath(path, utf8);
        } catch (AddressException e) {
            assertThat(e.getMessage()).as("reason for refusing %s", path).isNotBlank();
            if (e.needsSmtpUtf8()) {
                assertThat(utf8).as("SMTPUTF8 needed for %s although it was declared", path).isFalse();
                assertThat(path.chars().anyMatch(c -> c > 127)).isTrue();
            }
            return;
        }
        assertThat(address.isNullSender()).as("null sender from %s", path).isEqualTo(path.equals("<>"));
        checkAddress(address, utf8);
        assertThat(reparsePath("<" + address + ">", utf8)).as("%s written back", path).isEqualTo(address);
    }

    private static void checkMailbox(String mailbox, boolean utf8) {
        MailAddress address;
        try {
            address = MailAddress.parseMailbox(mailbox, utf8);
        } catch (AddressException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        checkAddress(address, utf8);
        try {
            assertThat(MailAddress.parseMailbox(address.toString(), utf8)).isEqualTo(address);
        } catch (AddressException e) {
            throw new AssertionError("mailbox " + address + " from " + mailbox + " does not parse again: " + e);
        }
    }

    private static void checkAddress(MailAddress address, boolean utf8) {
        assertThat(address.localPart().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        if (address.domain() != null) {
            assertThat(address.domain()).isNotEmpty();
            assertThat(address.domain().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
        if (!utf8) {
            assertThat(address.isInternationalized()).as("%s without SMTPUTF8", address).isFalse();
        }
    }

    private static MailAddress reparsePath(String path, boolean utf8) {
        try {
            return MailAddress.parsePath(path, utf8);
        } catch (AddressException e) {
            throw new AssertionError(path + " does not parse again: " + e.getMessage());
        }
    }
}
