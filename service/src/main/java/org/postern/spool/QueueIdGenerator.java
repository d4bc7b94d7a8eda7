package org.postern.spool;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes queue ids: 20 characters of an alphabet whose ASCII order is its numeric order, so ids
 * sort by arrival as plain strings and are safe file names on any file system (upper case only).
 *
 * <pre>
 *   TTTTTTTTTTTTT NNNNNNN
 *   |             +-- 7 chars: random per generator (35 bits), tells replicas and restarts apart
 *   +---------------- 13 chars: (epoch microseconds &lt;&lt; 10) | sequence within the microsecond
 * </pre>
 *
 * The 13-character part is strictly increasing per generator: the sequence allows 1024 ids per
 * microsecond before it borrows from the next microsecond, so ids never run ahead of the clock in
 * practice, and a generator seeded with the newest id already in the spool never goes back even if
 * the wall clock does. Lock-free: one CAS per id.
 */
final class QueueIdGenerator {

    /** Crockford's base-32 digits: ascending in ASCII, no I, L, O, U. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int TIME_CHARS = 13;
    static final int NODE_CHARS = 7;
    static final int LENGTH = TIME_CHARS + NODE_CHARS;
    private static final int SEQUENCE_BITS = 10;

    private final Clock clock;
    private final String node;
    private final AtomicLong last;

    QueueIdGenerator(Clock clock, long notBefore) {
        this.clock = clock;
        this.node = encode(new SecureRandom().nextLong() & ((1L << (5 * NODE_CHARS)) - 1), NODE_CHARS);
        this.last = new AtomicLong(notBefore);
    }

    String next() {
        long now = micros(clock.instant()) << SEQUENCE_BITS;
        long stamp = last.updateAndGet(prev -> Math.max(prev + 1, now));
        return encode(stamp, TIME_CHARS) + node;
    }

    /**
     * Raises the floor so later ids sort after {@code queueId} (used for ids found in the spool at open).
     * An id derived from a generated one ({@code <id>-D1}, {@code <id>-W}) counts as that id; any
     * other id (chosen by a test or tool) is ignored, as it says nothing about this clock.
     */
    void observe(String queueId) {
        boolean derived = queueId.length() > LENGTH && queueId.charAt(LENGTH) == '-';
        long stamp = stampOf(derived ? queueId.substring(0, LENGTH) : queueId);
        if (stamp >= 0) {
            last.accumulateAndGet(stamp, Math::max);
        }
    }

    /** Whether {@code s} has the shape of an id made here. */
    static boolean isGenerated(String s) {
        if (s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ALPHABET.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return s.charAt(0) <= '7'; // 13 chars hold 65 bits; the stamp is a non-negative long
    }

    /** The stamp (time and sequence) of a generated id, or -1 for other ids. */
    static long stampOf(String queueId) {
        if (!isGenerated(queueId)) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < TIME_CHARS; i++) {
            v = (v << 5) | ALPHABET.indexOf(queueId.charAt(i));
        }
        return v;
    }

    /** When an id made here was made, to the microsecond; null for other ids. */
    static Instant arrivalOf(String queueId) {
        long stamp = stampOf(queueId);
        if (stamp < 0) {
            return null;
        }
        long micros = stamp >>> SEQUENCE_BITS;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static String encode(long value, int width) {
        char[] out = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value & 31));
            value >>>= 5;
        }
        return new String(out);
    }
}
