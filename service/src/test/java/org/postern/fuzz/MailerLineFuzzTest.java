package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.postern.config.MailerLineParser;
import org.postern.mailer.MailerDefinition;

/**
 * Fuzzes the sendmail {@code M} line parser ({@link MailerLineParser#parse}). Its only documented
 * failure is {@link IllegalArgumentException} with a reason; a line it accepts gives a definition
 * that keeps the mailer invariants (CRLF, a port, at least one recipient) and that, written back
 * as an {@code M} line ({@link MailerDefinition#toLine}), parses to the same definition.
 */
class MailerLineFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void mailerLines(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        MailerDefinition mailer;
        try {
            mailer = MailerLineParser.parse(line);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("reason for refusing %s", line).isNotBlank();
            return;
        }
        assertThat(mailer.eol()).isEqualTo(MailerDefinition.CRLF);
        assertThat(mailer.port()).isBetween(1, 65535);
        assertThat(mailer.recipients()).isPositive();
        assertThat(mailer.maxSize()).isNotNegative();
        assertThat(mailer.lineLimit()).isNotNegative();
        String written = mailer.toLine();
        MailerDefinition again;
        try {
            again = MailerLineParser.parse(written);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("'" + line + "' written back as '" + written + "' is refused: " + e.getMessage());
        }
        assertThat(again).as("'%s' written back as '%s'", line, written).isEqualTo(mailer);
        assertThat(again.toLine()).isEqualTo(written);
    }
}
