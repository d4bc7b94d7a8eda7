package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.smtp.server.MessageSink.Outcome;

/**
 * The checks every message's content goes through, however it arrived: a CR split from its LF by a
 * write (or BDAT chunk) boundary, bare CR and LF, line length, size, and a failing store.
 */
class MessageSinkTest {

    private final ByteArrayOutputStream stored = new ByteArrayOutputStream();

    private MessageSink sink(long maxSize, int maxLine, boolean normalize) {
        return new MessageSink(stored, maxSize, maxLine, normalize);
    }

    private static void write(MessageSink sink, String... pieces) {
        for (String piece : pieces) {
            byte[] b = ("#" + piece + "#").getBytes(StandardCharsets.ISO_8859_1);
            sink.write(b, 1, b.length - 2); // an offset into a larger array, as the readers pass it
        }
    }

    private String stored() {
        return stored.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfSplitAcrossWritesIsOneLineEnding() {
        MessageSink sink = sink(1000, 998, false);
        write(sink, "line one\r", "\nline two\r", "\n");
        sink.finish();
        assertThat(sink.outcome()).isEqualTo(Outcome.OK);
        assertThat(stored()).isEqualTo("line one\r\nline two\r\n");
        assertThat(sink.size()).isEqualTo(20);
    }

    @Test
    void crAtTheEndOfAWriteFollowedByOtherTextIsBare() {
        MessageSink rejecting = sink(1000, 998, false);
        write(rejecting, "one\r", "two\r\n");
        rejecting.finish();
        assertThat(rejecting.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);
        assertThat(rejecting.failed()).isTrue();

        stored.reset();
        MessageSink normalizing = sink(1000, 998, true);
        write(normalizing, "one\r", "two\r\n");
        normalizing.finish();
        assertThat(normalizing.outcome()).isEqualTo(Outcome.OK);
        assertThat(stored()).isEqualTo("one\r\ntwo\r\n");
    }

    @Test
    void crAtTheEndOfTheContentIsBare() {
        MessageSink rejecting = sink(1000, 998, false);
        write(rejecting, "last line\r");
        assertThat(rejecting.outcome()).as("undecided until the next byte or the end").isEqualTo(Outcome.OK);
        rejecting.finish();
        assertThat(rejecting.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);

        stored.reset();
        MessageSink normalizing = sink(1000, 998, true);
        write(normalizing, "last line\r");
        normalizing.finish();
        assertThat(normalizing.outcome()).isEqualTo(Outcome.OK);
        assertThat(stored()).isEqualTo("last line\r\n");
    }

    @Test
    void crFollowedByCrAcrossWritesIsOneBareCrThenALineEnding() {
        MessageSink normalizing = sink(1000, 998, true);
        write(normalizing, "a\r", "\r\nb\r\n");
        normalizing.finish();
        assertThat(stored()).isEqualTo("a\r\n\r\nb\r\n");

        MessageSink rejecting = sink(1000, 998, false);
        write(rejecting, "a\r", "\r\nb\r\n");
        assertThat(rejecting.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\\nb", "\\nb", "a\\n", "a\\rb", "a\\r\\rb", "a\\n\\rb"})
    void everyBareLineEndingFailsInRejectMode(String escaped) {
        String content = escaped.replace("\\n", "\n").replace("\\r", "\r") + "\r\n";
        for (int split = 0; split <= content.length(); split++) {
            stored.reset();
            MessageSink sink = sink(1000, 998, false);
            write(sink, content.substring(0, split), content.substring(split));
            sink.finish();
            assertThat(sink.outcome()).as("split at %d", split).isEqualTo(Outcome.BARE_LINE_ENDING);
        }
    }

    @Test
    void normalisedContentIsTheSameWhereverTheWritesSplitIt() {
        String content = "a\rb\nc\r\nd\r\re\n\nf\r\n\r\ng\r";
        String expected = "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n\r\nf\r\n\r\ng\r\n";
        for (int i = 0; i <= content.length(); i++) {
            for (int j = i; j <= content.length(); j++) {
                stored.reset();
                MessageSink sink = sink(1000, 998, true);
                write(sink, content.substring(0, i), content.substring(i, j), content.substring(j));
                sink.finish();
                assertThat(sink.outcome()).isEqualTo(Outcome.OK);
                assertThat(stored()).as("splits at %d and %d", i, j).isEqualTo(expected);
                assertThat(sink.size()).isEqualTo(expected.length());
            }
        }
    }

    @Test
    void cleanContentIsStoredByteForByteWhateverTheSplits() {
        String content = "Subject: t\r\n\r\n\u00e9t\u00e9\r\n.\r\n..\r\n\u0001\u00ff\r\n";
        for (int i = 0; i <= content.length(); i++) {
            stored.reset();
            MessageSink sink = sink(1000, 998, false);
            write(sink, content.substring(0, i), content.substring(i));
            sink.finish();
            assertThat(sink.outcome()).isEqualTo(Outcome.OK);
            assertThat(stored()).isEqualTo(content);
        }
    }

    /** A NUL fails the message in both modes; the CRLF NUL "." CRLF of SMTP smuggling among them. */
    @Test
    void aNulFailsTheMessageInEitherMode() {
        for (boolean normalize : new boolean[] {false, true}) {
            for (String content : new String[] {"a\0b\r\n", "x\r\n\0.\r\nMAIL FROM:<s@example.com>\r\n", "x\r\0\n"}) {
                stored.reset();
                MessageSink sink = sink(1000, 998, normalize);
                write(sink, content);
                sink.finish();
                assertThat(sink.outcome()).as("%s (normalize=%s)", content, normalize).isIn(Outcome.NUL,
                        normalize ? Outcome.NUL : Outcome.BARE_LINE_ENDING);
                assertThat(sink.failed()).isTrue();
                assertThat(stored()).doesNotContain("\0");
            }
        }
    }

    @Test
    void lineLengthIsCountedAcrossWritesAndResetByEachLineEnding() {
        MessageSink fits = sink(10_000, 5, false);
        write(fits, "12", "345\r", "\n12345", "\r\n", "1234", "5\r\n");
        fits.finish();
        assertThat(fits.outcome()).isEqualTo(Outcome.OK);

        MessageSink tooLong = sink(10_000, 5, false);
        write(tooLong, "123", "456\r\n");
        assertThat(tooLong.outcome()).isEqualTo(Outcome.LINE_TOO_LONG);

        MessageSink normalized = sink(10_000, 5, true);
        write(normalized, "12345\n12345\r", "12345\r\n");
        normalized.finish();
        assertThat(normalized.outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void sizeLimitIsInclusiveAndNothingPastItIsStored() {
        MessageSink exact = sink(12, 998, false);
        write(exact, "0123456789", "\r\n");
        exact.finish();
        assertThat(exact.outcome()).isEqualTo(Outcome.OK);

        stored.reset();
        MessageSink over = sink(12, 998, false);
        write(over, "0123456789", "\r\n", "x", "more\r\n");
        over.finish();
        assertThat(over.outcome()).isEqualTo(Outcome.TOO_BIG);
        assertThat(stored.size()).isLessThanOrEqualTo(12);
    }

    @Test
    void firstProblemWinsAndNothingIsStoredAfterIt() {
        MessageSink sink = sink(1000, 5, false);
        write(sink, "ok\r\n", "toolong\r\n", "bare\nline\r\n");
        sink.finish();
        assertThat(sink.outcome()).isEqualTo(Outcome.LINE_TOO_LONG);
        assertThat(stored()).doesNotContain("bare", "line");
    }

    @Test
    void storeFailureIsKeptAndEndsStoring() {
        IOException diskFull = new IOException("No space left on device");
        List<String> writes = new ArrayList<>();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("bulk writes expected");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes.add(new String(b, off, len, StandardCharsets.ISO_8859_1));
                if (writes.size() == 2) {
                    throw diskFull;
                }
            }
        };
        MessageSink sink = new MessageSink(failing, 1000, 998, false);
        sink.write("first\r\n".getBytes(StandardCharsets.US_ASCII), 0, 7);
        sink.write("second\r\n".getBytes(StandardCharsets.US_ASCII), 0, 8);
        sink.write("third\r\n".getBytes(StandardCharsets.US_ASCII), 0, 7);
        sink.finish();
        assertThat(sink.outcome()).isEqualTo(Outcome.STORE_FAILED);
        assertThat(sink.storeFailure()).isSameAs(diskFull);
        assertThat(String.join("", writes)).doesNotContain("third");
    }

    @Test
    void chunkBoundaryBetweenCrAndLfOverTheNetworkIsOneLineEnding() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            MessageSink sink = sink(1000, 998, false);
            pair.send("first\r");
            ChunkReader.read(input, 6, sink);
            pair.send("\nsecond\r\nBDAT 0 LAST\r\n");
            ChunkReader.read(input, 9, sink);
            sink.finish();
            assertThat(sink.outcome()).isEqualTo(Outcome.OK);
            assertThat(stored()).isEqualTo("first\r\nsecond\r\n");
            assertThat(input.readLine(512, false)).isEqualTo("BDAT 0 LAST");
        }
    }

    @Test
    void lastChunkEndingInCrIsBare() throws IOException {
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            MessageSink sink = sink(1000, 998, false);
            pair.send("text\r\ntext\rQUIT\r\n");
            ChunkReader.read(input, 11, sink);
            sink.finish();
            assertThat(sink.outcome()).isEqualTo(Outcome.BARE_LINE_ENDING);
            assertThat(input.readLine(512, false)).isEqualTo("QUIT");
        }
    }

    @Test
    void chunkIsReadToItsExactLengthAcrossManyReadsEvenWhenDiscarded() throws IOException {
        byte[] chunk = new byte[100_000];
        for (int i = 0; i < chunk.length; i++) {
            int b = i % 251;
            chunk[i] = (byte) (b == '\r' || b == '\n' || b == 0 ? 'x' : b); // every other byte value but NUL
        }
        try (LoopbackPair pair = LoopbackPair.open()) {
            SmtpInput input = pair.input(0);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    pair.send(chunk);
                    pair.send("NOOP\r\n");
                    pair.send(chunk);
                    pair.send("QUIT\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            MessageSink sink = new MessageSink(raw, Long.MAX_VALUE, Integer.MAX_VALUE, false);
            ChunkReader.read(input, chunk.length, sink);
            assertThat(input.readLine(512, false)).isEqualTo("NOOP");
            ChunkReader.read(input, chunk.length, null);
            assertThat(input.readLine(512, false)).isEqualTo("QUIT");
            assertThat(sink.outcome()).isEqualTo(Outcome.OK);
            assertThat(raw.toByteArray()).isEqualTo(chunk);
            writer.join(5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
