package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.postern.header.HeaderField;
import org.postern.header.HeaderLine;
import org.postern.header.HeaderLineParser;
import org.postern.header.HeaderRule;
import org.postern.macro.MacroValues;

/**
 * Fuzzes the sendmail {@code H} line parser ({@link HeaderLineParser#parse}). Its only documented
 * failure is {@link IllegalArgumentException} with a reason; a line it accepts, written back
 * ({@link HeaderLine#line}), parses to the same rule or check; and a rule renders a header field
 * that is well-formed on the wire whatever the macro values: CRLF only, and only before a folded
 * continuation line or at the end, with no NUL or bare CR.
 */
class HeaderLineFuzzTest {

    /** Macro values a hostile client controls (the HELO name, its host name), with line breaks and NUL. */
    private static final MacroValues HOSTILE = MacroValues.of(Map.of(
            "s", "evil\r\nBcc: victim@example.com", "_", "x\0y\rz", "j", "relay.example", "x", "Full\nName",
            "g", "sender@example.com", "a", "Mon, 1 Jan 2024 00:00:00 +0000", "client_name", "\t\r\n.\r\n"));

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void headerLines(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        HeaderLine parsed;
        try {
            parsed = HeaderLineParser.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("reason for refusing %s", text).isNotBlank();
            return;
        }
        String written = parsed.line();
        HeaderLine again;
        try {
            again = HeaderLineParser.parse(written);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("'" + text + "' written back as '" + written + "' is refused: " + e.getMessage());
        }
        assertThat(again).as("'%s' written back as '%s'", text, written).isEqualTo(parsed);
        if (parsed instanceof HeaderRule rule) {
            checkRendered(rule, rule.render(HOSTILE));
            checkRendered(rule, rule.render(MacroValues.NONE));
        }
    }

    private static void checkRendered(HeaderRule rule, HeaderField field) {
        if (field == null) {
            return; // expanded to nothing: no header is added
        }
        assertThat(field.name()).isEqualTo(rule.name());
        byte[] raw = field.raw();
        String shown = new String(raw, StandardCharsets.UTF_8);
        assertThat(raw.length).as("field %s", shown).isGreaterThanOrEqualTo(rule.name().length() + 3);
        assertThat(raw[raw.length - 2] == '\r' && raw[raw.length - 1] == '\n').as("field %s ends with CRLF", shown)
                .isTrue();
        for (int i = 0; i < raw.length - 2; i++) {
            byte b = raw[i];
            assertThat(b).as("NUL at %d in %s", i, shown).isNotZero();
            if (b == '\r') {
                assertThat(raw[i + 1] == '\n' && (raw[i + 2] == ' ' || raw[i + 2] == '\t'))
                        .as("CR at %d in %s starts a folded continuation line", i, shown).isTrue();
            }
            if (b == '\n') {
                assertThat(i > 0 && raw[i - 1] == '\r').as("LF at %d in %s follows CR", i, shown).isTrue();
            }
        }
    }
}
