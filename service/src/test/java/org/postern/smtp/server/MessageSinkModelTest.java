package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.smtp.server.MessageSink.Outcome;

/**
 * {@link MessageSink}'s span-at-a-time checks against a per-octet model of the content rules (line
 * ends, bare CR and LF in both modes, NUL, line length, size), on random content cut into random
 * writes, so that every CRLF and run straddles write boundaries somewhere.
 */
class MessageSinkModelTest {

    private static final byte[] SPECIAL = {'\r', '\n', '\r', '\n', 0, '.', ' '};

    @Test
    void spansGiveWhatThePerOctetRulesGive() {
        Random random = new Random(5321);
        for (int round = 0; round < 5000; round++) {
            boolean normalize = random.nextBoolean();
            int maxLine = 5 + random.nextInt(60);
            boolean sizeMatters = random.nextInt(3) == 0;
            long maxSize = sizeMatters ? random.nextInt(400) : Long.MAX_VALUE;
            byte[] content = randomContent(random);

            Model model = new Model(content, normalize, maxLine, maxSize);
            ByteArrayOutputStream store = new ByteArrayOutputStream();
            MessageSink sink = new MessageSink(store, maxSize, maxLine, normalize);
            for (int off = 0; off < content.length; ) {
                int len = Math.min(content.length - off, 1 + random.nextInt(50));
                sink.write(content, off, len);
                off += len;
            }
            sink.finish();

            String what = "round " + round + ", normalize " + normalize + ", max line " + maxLine + ", max size "
                    + maxSize;
            if (model.problems.isEmpty()) {
                assertThat(sink.outcome()).as(what).isEqualTo(Outcome.OK);
                assertThat(store.toByteArray()).as(what).isEqualTo(model.out.toByteArray());
                assertThat(sink.size()).as(what).isEqualTo(model.out.size());
            } else if (!sizeMatters) {
                assertThat(sink.outcome()).as(what).isEqualTo(model.first);
            } else {
                // Size is checked when a span is stored, so any problem the content has may be named first.
                assertThat(sink.outcome()).as(what).isIn(model.problems);
            }
            if (sink.outcome() != Outcome.OK) {
                assertThat(store.size()).as(what + ": nothing past the size limit is stored").isLessThanOrEqualTo(
                        (int) Math.min(maxSize, Integer.MAX_VALUE));
            }
        }
    }

    private static byte[] randomContent(Random random) {
        int length = random.nextInt(300);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = random.nextInt(5) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (byte) ('a' + random.nextInt(26));
        }
        return b;
    }

    /** The rules octet by octet, over the whole content at once: every problem, and the first. */
    private static final class Model {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Set<Outcome> problems = EnumSet.noneOf(Outcome.class);
        Outcome first;

        Model(byte[] c, boolean normalize, int maxLine, long maxSize) {
            int line = 0;
            for (int i = 0; i < c.length; i++) {
                if (c[i] == '\r' && i + 1 < c.length && c[i + 1] == '\n') {
                    line = 0;
                    put(maxSize, '\r', '\n');
                    i++;
                } else if (c[i] == '\r' || c[i] == '\n') {
                    if (!normalize) {
                        problem(Outcome.BARE_LINE_ENDING);
                    }
                    line = 0;
                    put(maxSize, '\r', '\n');
                } else if (c[i] == 0) {
                    problem(Outcome.NUL);
                } else {
                    if (++line > maxLine) {
                        problem(Outcome.LINE_TOO_LONG);
                    }
                    put(maxSize, c[i]);
                }
            }
        }

        private void put(long maxSize, int... octets) {
            for (int o : octets) {
                out.write(o);
            }
            if (out.size() > maxSize) {
                problem(Outcome.TOO_BIG);
            }
        }

        private void problem(Outcome o) {
            problems.add(o);
            if (first == null) {
                first = o;
            }
        }
    }
}
