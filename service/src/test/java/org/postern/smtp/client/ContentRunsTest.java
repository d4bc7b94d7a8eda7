package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The run-at-a-time paths of {@link DotStuffer} and {@link LineLimiter} against per-octet reference
 * models of the same rules, on random content full of dots, bare CRs and LFs, and lines around the
 * limit, read in random short pieces so that runs and CRLFs straddle every read boundary.
 */
class ContentRunsTest {

    private static final byte[] ALPHABET = {'a', 'b', '.', '.', ' ', '\r', '\n', '\r', '\n', 'x', (byte) 0xE9};

    @Test
    void dotStufferMatchesThePerOctetModel() throws IOException {
        Random random = new Random(8);
        for (int round = 0; round < 2000; round++) {
            byte[] content = randomContent(random);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long written = new DotStuffer(out).transfer(new Trickle(content, random));
            byte[] expected = referenceStuffed(content);
            assertThat(out.toByteArray()).as("round %d", round).isEqualTo(expected);
            assertThat(written).isEqualTo(expected.length);
        }
    }

    @Test
    void lineLimiterMatchesThePerOctetModel() throws IOException {
        Random random = new Random(9);
        for (int round = 0; round < 2000; round++) {
            int limit = 3 + random.nextInt(40);
            byte[] content = randomContent(random);
            byte[] actual = new LineLimiter(new Trickle(content, random), limit).readAllBytes();
            assertThat(actual).as("round %d, limit %d", round, limit).isEqualTo(referenceLimited(content, limit));
        }
    }

    private static byte[] randomContent(Random random) {
        int lines = random.nextInt(30);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int l = 0; l < lines; l++) {
            int length = random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(50);
            for (int i = 0; i < length; i++) {
                // mostly plain octets, so that long runs occur; line ends and dots often enough
                b.write(random.nextInt(6) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : 'a' + random.nextInt(26));
            }
        }
        return b.toByteArray();
    }

    /** The stuffing rules octet by octet, as the stuffer did before it copied runs. */
    private static byte[] referenceStuffed(byte[] in) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        boolean lineStart = true;
        boolean pendingCr = false;
        for (byte b : in) {
            if (pendingCr) {
                pendingCr = false;
                o.write('\r');
                o.write('\n');
                lineStart = true;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                o.write('\r');
                o.write('\n');
                lineStart = true;
            } else {
                if (b == '.' && lineStart) {
                    o.write('.');
                }
                o.write(b);
                lineStart = false;
            }
        }
        if (pendingCr || !lineStart) {
            o.write('\r');
            o.write('\n');
        }
        o.write('.');
        o.write('\r');
        o.write('\n');
        return o.toByteArray();
    }

    /** putxline's breaking, octet by octet, as LineLimiter did before it emitted runs. */
    private static byte[] referenceLimited(byte[] in, int limit) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int column = 0;
        int held = -1;
        boolean pendingCr = false;
        for (int i = 0; i <= in.length; i++) {
            int c = i < in.length ? in[i] & 0xFF : -1;
            if (pendingCr) {
                pendingCr = false;
                endLine(o, held);
                held = -1;
                column = 0;
                if (c == '\n') {
                    continue;
                }
            }
            if (c < 0) {
                break;
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                endLine(o, held);
                held = -1;
                column = 0;
            } else {
                if (held >= 0) {
                    o.write('!');
                    o.write('\r');
                    o.write('\n');
                    o.write(' ');
                    o.write(held);
                    column = 2;
                    held = -1;
                }
                if (column == limit - 1) {
                    held = c;
                } else {
                    o.write(c);
                    column++;
                }
            }
        }
        if (held >= 0) {
            o.write(held);
        }
        return o.toByteArray();
    }

    /** A line end in the model: the held octet, if any, still fits; then CRLF. */
    private static void endLine(ByteArrayOutputStream o, int held) {
        if (held >= 0) {
            o.write(held);
        }
        o.write('\r');
        o.write('\n');
    }

    /** Returns the content in random short reads (1 to 40 octets). */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final Random random;

        Trickle(byte[] content, Random random) {
            this.in = new ByteArrayInputStream(content);
            this.random = random;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(40)));
        }
    }
}
