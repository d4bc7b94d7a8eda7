package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postern.smtp.server.CommandParsing;
import org.postern.smtp.server.CommandParsing.Arguments;
import org.postern.smtp.server.CommandParsing.Line;

/**
 * Fuzzes what a session does with the bytes a client sends before any command runs: the command
 * line reader (strict CRLF, the line limit, UTF-8, no NUL), the verb split and the MAIL FROM / RCPT
 * TO argument parser. The line reader is checked against an independent model of its rules, line
 * for line, so it must stay in step with the client whatever the bytes; the argument parser must
 * refuse with a reason or give a path and parameters that parse again to the same.
 */
class SmtpCommandFuzzTest {

    /** The default {@code postern.limits.max-command-line-length}, and a tiny one to reach the limit. */
    private static final int[] LIMITS = {2048, 16};

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void commandLines(byte[] session) throws IOException {
        for (int limit : LIMITS) {
            for (boolean normalize : new boolean[] {false, true}) {
                List<Line> lines = CommandParsing.readLines(session, limit, normalize);
                assertThat(lines).as("lines read (limit %d, normalize %s)", limit, normalize)
                        .isEqualTo(expectedLines(session, limit, normalize));
                for (Line line : lines) {
                    if (line.text() != null) {
                        checkCommand(line.text());
                    }
                }
            }
        }
    }

    private static void checkCommand(String line) {
        String verb = CommandParsing.verb(line);
        String argument = CommandParsing.argument(line);
        assertThat(verb).doesNotContain(" ");
        if (verb.equals("MAIL")) {
            checkArguments(argument, "FROM:");
        } else if (verb.equals("RCPT")) {
            checkArguments(argument, "TO:");
        }
    }

    /** Refused with a reason, or a bracketed path and well-formed parameters that parse again to the same. */
    private static void checkArguments(String argument, String prefix) {
        Arguments parsed = CommandParsing.parseArguments(argument, prefix);
        if (parsed.path() == null) {
            assertThat(parsed.error()).as("reason for refusing '%s'", argument).isNotBlank();
            return;
        }
        assertThat(parsed.path()).startsWith("<").endsWith(">");
        StringBuilder again = new StringBuilder(prefix).append(parsed.path());
        for (Map.Entry<String, String> p : parsed.parameters().entrySet()) {
            assertThat(p.getKey()).matches("[A-Z0-9][A-Z0-9-]*");
            assertThat(p.getValue()).as("value of %s", p.getKey()).satisfiesAnyOf(
                    v -> assertThat(v).isNull(), v -> assertThat(v).isNotEmpty().doesNotContain(" "));
            again.append(' ').append(p.getKey());
            if (p.getValue() != null) {
                again.append('=').append(p.getValue());
            }
        }
        Arguments reparsed = CommandParsing.parseArguments(again.toString(), prefix);
        assertThat(reparsed.error()).as("re-parsing '%s'", again).isNull();
        assertThat(reparsed.path()).isEqualTo(parsed.path());
        assertThat(new ArrayList<>(reparsed.parameters().entrySet()))
                .isEqualTo(new ArrayList<>(parsed.parameters().entrySet()));
        MailAddressFuzzTest.checkPath(parsed.path(), false);
        MailAddressFuzzTest.checkPath(parsed.path(), true);
    }

    /**
     * The model: every LF ends a line; the line's bytes are those before it without CRs. Strictly,
     * the line must end with CR LF and hold no other CR; then it must fit the limit, be UTF-8 and
     * hold no NUL. An unterminated tail is a client that went away, not a line.
     */
    static List<Line> expectedLines(byte[] session, int limit, boolean normalize) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < session.length; i++) {
            if (session[i] != '\n') {
                continue;
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            boolean innerCr = false;
            for (int j = start; j < i; j++) {
                if (session[j] == '\r') {
                    innerCr |= j < i - 1;
                } else {
                    content.write(session[j]);
                }
            }
            boolean endsWithCr = i > start && session[i - 1] == '\r';
            lines.add(expectedLine(content.toByteArray(), !normalize && (!endsWithCr || innerCr), limit));
            start = i + 1;
        }
        return lines;
    }

    private static Line expectedLine(byte[] content, boolean bare, int limit) {
        if (bare) {
            return new Line(null, "BARE_LINE_ENDING");
        }
        if (content.length > limit) {
            return new Line(null, "TOO_LONG");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
            return text.indexOf('\0') >= 0 ? new Line(null, "INVALID_UTF8") : new Line(text, null);
        } catch (CharacterCodingException e) {
            return new Line(null, "INVALID_UTF8");
        }
    }
}
