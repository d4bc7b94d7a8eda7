package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.smtp.server.DotTerminatedReader.End;
import org.postern.smtp.server.MessageSink.Outcome;

/**
 * DATA content over a real loopback socket: dot-unstuffing, the end marker wherever the reads split
 * it, and every bare CR or LF variant, rejected or normalised, never ending the message.
 */
class DotTerminatedReaderTest {

    private static final long NO_SIZE_LIMIT = Long.MAX_VALUE;
    private static final int NO_LINE_LIMIT = Integer.MAX_VALUE;

    /** What one DATA read produced, and the command line the client sent after it (null if not read). */
    record Result(End end, Outcome outcome, String content, String nextLine) {
    }

    /**
     * Sends {@code wire} followed by a {@code NEXT} command, reads the data and, when it ended
     * properly, the next line: proof that the reader stopped exactly after the end marker.
     *
     * @param maxRead the most bytes one socket read returns (0: no cap)
     */
    private static Result read(String wire, boolean normalize, int maxRead, long maxSize, int maxLine)
            throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(maxRead);
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            MessageSink sink = new MessageSink(stored, maxSize, maxLine, normalize);
            pair.send(wire + "NEXT\r\n");
            End end = DotTerminatedReader.read(input, sink, normalize);
            String next = end == End.END_OF_DATA ? input.readLine(512, false) : null;
            return new Result(end, sink.outcome(), stored.toString(StandardCharsets.ISO_8859_1), next);
        }
    }

    private static Result read(String wire, boolean normalize) throws IOException {
        return read(wire, normalize, 0, NO_SIZE_LIMIT, NO_LINE_LIMIT);
    }

    /** Reads {@code wire} with every cap on the read size from one byte up to its whole length. */
    private static void assertSameForEverySplit(String wire, boolean normalize, End end, String content)
            throws IOException {
        for (int maxRead = 1; maxRead <= wire.length() + 1; maxRead++) {
            Result r = read(wire, normalize, maxRead, NO_SIZE_LIMIT, NO_LINE_LIMIT);
            assertThat(r.end()).as("end with reads of at most %d bytes", maxRead).isEqualTo(end);
            if (end == End.END_OF_DATA) {
                assertThat(r.outcome()).as("outcome, reads of %d", maxRead).isEqualTo(Outcome.OK);
                assertThat(r.content()).as("content, reads of %d", maxRead).isEqualTo(content);
                assertThat(r.nextLine()).as("next command, reads of %d", maxRead).isEqualTo("NEXT");
            }
        }
    }

    @Test
    void contentEndsAtCrlfDotCrlfAndLeavesTheNextCommandUnread() throws IOException {
        Result r = read("Subject: hi\r\n\r\nbody\r\n.\r\n", false);
        assertThat(r.end()).isEqualTo(End.END_OF_DATA);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(r.nextLine()).isEqualTo("NEXT");
    }

    @Test
    void emptyContentIsJustTheEndMarker() throws IOException {
        Result r = read(".\r\n", false);
        assertThat(r.end()).isEqualTo(End.END_OF_DATA);
        assertThat(r.content()).isEmpty();
        assertThat(r.nextLine()).isEqualTo("NEXT");

        Result blank = read("\r\n.\r\n", false);
        assertThat(blank.content()).isEqualTo("\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stuffedLines")
    void leadingDotIsRemovedOnEveryLineIncludingTheFirst(String description, String wire, String content)
            throws IOException {
        for (boolean normalize : new boolean[] {false, true}) {
            Result r = read(wire, normalize);
            assertThat(r.end()).isEqualTo(End.END_OF_DATA);
            assertThat(r.content()).as("normalize=%s", normalize).isEqualTo(content);
            assertThat(r.nextLine()).isEqualTo("NEXT");
        }
    }

    static Stream<Arguments> stuffedLines() {
        return Stream.of(
                Arguments.of("first line", "..first\r\nsecond\r\n.\r\n", ".first\r\nsecond\r\n"),
                Arguments.of("later line", "first\r\n..second\r\n.\r\n", "first\r\n.second\r\n"),
                Arguments.of("stuffed lone dot", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"),
                Arguments.of("three dots", "...\r\n.\r\n", "..\r\n"),
                Arguments.of("unneeded stuffing", ".x\r\n. y\r\n.\r\n", "x\r\n y\r\n"),
                Arguments.of("dots inside lines", "a.b\r\nc..\r\n.\r\n", "a.b\r\nc..\r\n"),
                Arguments.of("dot then end", "..\r\n.\r\n", ".\r\n"));
    }

    @Test
    void endMarkerIsFoundWhereverTheReadsSplitIt() throws IOException {
        assertSameForEverySplit("Subject: x\r\n\r\n..one\r\ntwo\r\n\r\n.\r\n", false, End.END_OF_DATA,
                "Subject: x\r\n\r\n.one\r\ntwo\r\n\r\n");
    }

    @Test
    void endMarkerSentOneByteAtATimeOverTheNetwork() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            MessageSink sink = new MessageSink(stored, NO_SIZE_LIMIT, NO_LINE_LIMIT, false);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    pair.sendByteByByte("line one\r\n..two\r\n.\r\nNEXT\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(DotTerminatedReader.read(input, sink, false)).isEqualTo(End.END_OF_DATA);
            assertThat(input.readLine(512, false)).isEqualTo("NEXT");
            assertThat(stored.toString(StandardCharsets.ISO_8859_1)).isEqualTo("line one\r\n.two\r\n");
            writer.join(5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void largeContentCrossesBufferBoundariesIntact() throws IOException {
        StringBuilder content = new StringBuilder();
        StringBuilder wire = new StringBuilder();
        for (int i = 0; content.length() < 200_000; i++) {
            String line = (i % 7 == 0 ? "." : "") + "line " + i + " " + "x".repeat(i % 90);
            content.append(line).append("\r\n");
            wire.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        Result r = read(wire + ".\r\n", false);
        assertThat(r.end()).isEqualTo(End.END_OF_DATA);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo(content.toString());
        assertThat(r.nextLine()).isEqualTo("NEXT");
    }

    /**
     * Random content against a model of the rules: the wire is cut into lines at CRLF, the line "."
     * ends the data, one leading dot is stuffing, and a bare CR or LF inside a line is refused or
     * becomes CRLF. Many short lines, dots at line starts and random read sizes, so that lines joined
     * into one write meet dots, bare line ends and buffer ends in every order.
     */
    @Test
    void randomContentGivesWhatTheLineRulesGive() throws IOException {
        Random random = new Random(4552);
        for (int round = 0; round < 300; round++) {
            List<String> lines = new ArrayList<>();
            for (int n = random.nextInt(round % 10 == 0 ? 600 : 40); n > 0; n--) {
                lines.add(randomLine(random, round % 3 == 0));
            }
            StringBuilder wire = new StringBuilder();
            StringBuilder content = new StringBuilder();
            for (String line : lines) {
                wire.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
                content.append(line).append("\r\n");
            }
            wire.append(".\r\n");
            boolean bare = content.toString().replace("\r\n", "").matches("(?s).*[\r\n].*");
            int maxRead = random.nextBoolean() ? 0 : 1 + random.nextInt(200);
            for (boolean normalize : new boolean[] {false, true}) {
                String what = "round " + round + ", normalize " + normalize + ", reads of at most " + maxRead;
                Result r = read(wire.toString(), normalize, maxRead, NO_SIZE_LIMIT, NO_LINE_LIMIT);
                if (bare && !normalize) {
                    assertThat(r.end()).as(what).isEqualTo(End.BARE_LINE_ENDING);
                    continue;
                }
                assertThat(r.end()).as(what).isEqualTo(End.END_OF_DATA);
                assertThat(r.outcome()).as(what).isEqualTo(Outcome.OK);
                assertThat(r.content()).as(what).isEqualTo(normalized(content.toString()));
                assertThat(r.nextLine()).as(what).isEqualTo("NEXT");
            }
        }
    }

    /** A line with no CRLF in it: letters, dots (often first), spaces, and now and then a bare CR or LF. */
    private static String randomLine(Random random, boolean withBareLineEnds) {
        StringBuilder line = new StringBuilder();
        for (int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(12); n > 0; n--) {
            int pick = random.nextInt(20);
            char c = pick < 3 ? '.' : pick == 3 ? ' ' : (char) ('a' + random.nextInt(26));
            if (withBareLineEnds && pick == 4) {
                c = random.nextBoolean() ? '\r' : '\n';
            }
            if (c == '\n' && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                c = 'x'; // that would be a CRLF, a line end of its own
            }
            line.append(c);
        }
        return line.toString();
    }

    /** Every CR or LF that is not part of a CRLF becomes one. */
    private static String normalized(String text) {
        return text.replaceAll("\r\n|\r|\n", "\r\n");
    }

    /** Bare CR and LF placements, each followed by text and a real end so a wrong reader would not hang. */
    static Stream<Arguments> bareLineEndings() {
        String after = "MAIL FROM:<smuggled@example.com>\r\n";
        return Stream.of(
                // description, wire before the real end, content when normalised
                Arguments.of("LF . LF (smuggling)", "a\n.\n" + after, "a\r\n.\r\n" + after),
                Arguments.of("LF . CRLF", "a\n.\r\n" + after, "a\r\n.\r\n" + after),
                Arguments.of("CR . CRLF", "a\r.\r\n" + after, "a\r\n.\r\n" + after),
                Arguments.of("CR . CR", "a\r.\r" + after, "a\r\n.\r\n" + after),
                Arguments.of("CRLF . LF", "a\r\n.\n" + after, "a\r\n\r\n" + after),
                Arguments.of("CRLF . CR", "a\r\n.\r" + after, "a\r\n\r\n" + after),
                Arguments.of("CRLF . CR CRLF", "a\r\n.\r\r\n" + after, "a\r\n\r\n\r\n" + after),
                Arguments.of(". LF at the start", ".\n" + after, "\r\n" + after),
                Arguments.of("LF at the start", "\nstart\r\n", "\r\nstart\r\n"),
                Arguments.of("bare LF in a line", "one\ntwo\r\n", "one\r\ntwo\r\n"),
                Arguments.of("bare CR in a line", "one\rtwo\r\n", "one\r\ntwo\r\n"),
                Arguments.of("CR CR LF", "one\r\r\ntwo\r\n", "one\r\n\r\ntwo\r\n"),
                Arguments.of("LF CR LF", "one\n\r\ntwo\r\n", "one\r\n\r\ntwo\r\n"),
                Arguments.of("stuffed dot then LF", "..\n" + after, ".\r\n" + after),
                Arguments.of("LF .. LF", "a\n..\n" + after, "a\r\n..\r\n" + after));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bareLineEndings")
    void bareLineEndingIsRejectedAndNeverEndsTheData(String description, String wire, String normalized)
            throws IOException {
        for (int maxRead : new int[] {0, 1, 2, 3}) {
            Result r = read(wire + ".\r\n", false, maxRead, NO_SIZE_LIMIT, NO_LINE_LIMIT);
            assertThat(r.end()).as("reads of at most %d bytes", maxRead).isEqualTo(End.BARE_LINE_ENDING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bareLineEndings")
    void bareLineEndingIsNormalisedToCrlfAndOnlyARealEndMarkerEndsTheData(String description, String wire,
            String normalized) throws IOException {
        assertSameForEverySplit(wire + ".\r\n", true, End.END_OF_DATA, normalized);
    }

    @Test
    void normalisedContentHasNoBareLineEndingLeft() throws IOException {
        Result r = read("a\rb\nc\r\r\n\n\r.\n..\r\n.\r\n", true);
        assertThat(r.end()).isEqualTo(End.END_OF_DATA);
        String content = r.content();
        assertThat(content.replace("\r\n", "")).doesNotContain("\r", "\n");
    }

    @Test
    void lineLengthLimitCountsContentOctetsAndTheReaderStillReadsToTheEnd() throws IOException {
        Result fits = read("0123456789\r\n0123456789\r\n.\r\n", false, 0, NO_SIZE_LIMIT, 10);
        assertThat(fits.outcome()).isEqualTo(Outcome.OK);

        // The stuffing dot is not content: ".123456789" is 10 octets.
        Result stuffed = read("..123456789\r\n.\r\n", false, 0, NO_SIZE_LIMIT, 10);
        assertThat(stuffed.outcome()).isEqualTo(Outcome.OK);
        assertThat(stuffed.content()).isEqualTo(".123456789\r\n");

        for (int maxRead : new int[] {0, 1, 4}) {
            Result tooLong = read("ok\r\n0123456789X\r\nmore\r\n.\r\n", false, maxRead, NO_SIZE_LIMIT, 10);
            assertThat(tooLong.end()).isEqualTo(End.END_OF_DATA);
            assertThat(tooLong.outcome()).as("reads of %d", maxRead).isEqualTo(Outcome.LINE_TOO_LONG);
            assertThat(tooLong.nextLine()).isEqualTo("NEXT");
        }
    }

    @Test
    void normalisedBareLineEndingStartsANewLineForTheLengthLimit() throws IOException {
        Result r = read("0123456789\n0123456789\r0123456789\r\n.\r\n", true, 0, NO_SIZE_LIMIT, 10);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.content()).isEqualTo("0123456789\r\n0123456789\r\n0123456789\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7})
    void sizeLimitCountsStoredOctetsAndTheReaderStillReadsToTheEnd(int maxRead) throws IOException {
        String content = "Subject: s\r\n\r\n" + "y".repeat(50) + "\r\n"; // 66 octets
        Result exact = read(content + ".\r\n", false, maxRead, content.length(), NO_LINE_LIMIT);
        assertThat(exact.outcome()).isEqualTo(Outcome.OK);
        assertThat(exact.content()).isEqualTo(content);

        Result over = read(content + "z\r\n" + content + ".\r\n", false, maxRead, content.length(), NO_LINE_LIMIT);
        assertThat(over.end()).isEqualTo(End.END_OF_DATA);
        assertThat(over.outcome()).isEqualTo(Outcome.TOO_BIG);
        assertThat(over.content().length()).isLessThanOrEqualTo(content.length());
        assertThat(over.nextLine()).isEqualTo("NEXT");
    }

    @Test
    void normalisationCountsTowardsTheSizeLimit() throws IOException {
        // Stored as "ab" CRLF "c" CRLF: 7 octets, though 6 came in.
        assertThat(read("ab\nc\r\n.\r\n", true, 0, 7, NO_LINE_LIMIT).outcome()).isEqualTo(Outcome.OK);
        // 7 octets came in, 8 would be stored.
        assertThat(read("abc\nd\r\n.\r\n", true, 0, 7, NO_LINE_LIMIT).outcome()).isEqualTo(Outcome.TOO_BIG);
    }
}
