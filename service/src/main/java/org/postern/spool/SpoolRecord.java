package org.postern.spool;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The records appended after the trailer, one line each, the CRC32C covering the text before the
 * line's last space:
 * <pre>
 *   state &lt;index&gt; &lt;STATE&gt; [detail=&lt;value&gt;] &lt;crc32c&gt;\n      a recipient's state, with an opaque detail
 *   schedule &lt;attempts&gt; &lt;instant&gt; notified|- &lt;crc32c&gt;\n   the message's delivery schedule
 *   hold on|off &lt;instant&gt; &lt;crc32c&gt;\n                  placed on hold, or released, by the operator at that instant
 * </pre>
 * Appends are fsynced one by one, so at most the last record can be torn by a crash; any line that
 * is incomplete, unknown or fails its CRC is ignored, and the last valid record per recipient (and
 * the last valid schedule record) wins. Ignoring a record only ever means one more delivery attempt
 * (at-least-once), never a lost recipient.
 */
final class SpoolRecord {

    private static final String STATE = "state ";
    private static final String SCHEDULE = "schedule ";
    private static final String HOLD = "hold ";
    private static final String DETAIL = "detail=";
    private static final String NOTIFIED = "notified";

    private SpoolRecord() {
    }

    /**
     * A state record.
     *
     * @param detail any string or null; percent-encoded as header values are
     * @throws IllegalArgumentException when {@code detail} is not valid Unicode (a lone surrogate)
     */
    static byte[] state(int index, RecipientState state, String detail) {
        StringBuilder body = new StringBuilder(STATE).append(index).append(' ').append(state.name());
        if (detail != null) {
            try {
                body.append(' ').append(DETAIL).append(FieldEncoding.encode(detail));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("detail is not valid Unicode", e);
            }
        }
        return line(body.toString());
    }

    /** A schedule record. */
    static byte[] schedule(DeliverySchedule schedule) {
        return line(SCHEDULE + schedule.attempts() + ' ' + schedule.nextAttempt() + ' '
                + (schedule.delayNotified() ? NOTIFIED : "-"));
    }

    /** A hold record: {@code on} when the operator placed the message on hold at {@code at}, {@code off} when released. */
    static byte[] hold(boolean held, Instant at) {
        return line(HOLD + (held ? "on" : "off") + ' ' + at);
    }

    private static byte[] line(String body) {
        return (body + ' ' + crcHex(body) + '\n').getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Applies the records in {@code buf[from, limit)} to a message with all recipients pending, no
     * details and the initial schedule (no attempts, due at {@code arrival}).
     */
    static Applied apply(byte[] buf, int from, int limit, int recipients, Instant arrival) {
        Accumulator acc = new Accumulator(recipients, arrival);
        int ignored = 0;
        int start = from;
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                if (!acc.apply(new String(buf, start, i - start, StandardCharsets.ISO_8859_1))) {
                    ignored++;
                }
                start = i + 1;
            }
        }
        return new Applied(List.of(acc.states), Collections.unmodifiableList(Arrays.asList(acc.details)),
                acc.schedule, acc.heldSince, ignored, start < limit);
    }

    /**
     * @param states       the resulting state per recipient
     * @param details      the detail per recipient from its last valid state record; null entries where none
     * @param schedule     the last valid schedule record, or the initial schedule
     * @param heldSince    when the last valid hold record placed the message on hold; null when there is
     *                     none or it released the message
     * @param invalidLines complete lines that were not valid records (a torn record followed by later appends)
     * @param tornTail     whether the region ends with an incomplete line
     */
    record Applied(List<RecipientState> states, List<String> details, DeliverySchedule schedule, Instant heldSince,
            int invalidLines, boolean tornTail) {
    }

    /** The message's records so far; each valid line updates it, an invalid one leaves it alone. */
    private static final class Accumulator {
        final RecipientState[] states;
        final String[] details;
        DeliverySchedule schedule;
        Instant heldSince;

        Accumulator(int recipients, Instant arrival) {
            states = new RecipientState[recipients];
            Arrays.fill(states, RecipientState.PENDING);
            details = new String[recipients];
            schedule = DeliverySchedule.initial(arrival);
        }

        boolean apply(String line) {
            int lastSpace = line.lastIndexOf(' ');
            if (lastSpace < 0) {
                return false;
            }
            String body = line.substring(0, lastSpace);
            if (!line.substring(lastSpace + 1).equals(crcHex(body))) {
                return false;
            }
            String[] parts = body.split(" ", -1);
            try {
                if (body.startsWith(STATE)) {
                    return applyState(parts);
                }
                if (body.startsWith(SCHEDULE)) {
                    return applySchedule(parts);
                }
                if (body.startsWith(HOLD)) {
                    return applyHold(parts);
                }
            } catch (IllegalArgumentException | DateTimeException | QuarantineException e) {
                // a bad number, state, instant or escape under a good CRC: hand-edited; ignored like any bad record
            }
            return false;
        }

        private boolean applyState(String[] parts) throws QuarantineException {
            if (parts.length != 3 && parts.length != 4) {
                return false;
            }
            int index = Integer.parseInt(parts[1]);
            RecipientState state = RecipientState.valueOf(parts[2]);
            String detail = null;
            if (parts.length == 4) {
                if (!parts[3].startsWith(DETAIL)) {
                    return false;
                }
                detail = FieldEncoding.decode(parts[3].substring(DETAIL.length()));
            }
            if (index < 0 || index >= states.length) {
                return false;
            }
            states[index] = state;
            details[index] = detail;
            return true;
        }

        private boolean applySchedule(String[] parts) {
            if (parts.length != 4 || !(parts[3].equals(NOTIFIED) || parts[3].equals("-"))) {
                return false;
            }
            int attempts = Integer.parseInt(parts[1]);
            if (attempts < 0) {
                return false;
            }
            schedule = new DeliverySchedule(attempts, Instant.parse(parts[2]), parts[3].equals(NOTIFIED));
            return true;
        }

        private boolean applyHold(String[] parts) {
            if (parts.length != 3 || !(parts[1].equals("on") || parts[1].equals("off"))) {
                return false;
            }
            Instant at = Instant.parse(parts[2]);
            heldSince = parts[1].equals("on") ? at : null;
            return true;
        }
    }

    /** CRC32C of the line's bytes as read (ISO-8859-1 maps each byte to one char), 8 lower-case hex digits. */
    private static String crcHex(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
        return String.format("%08x", crc.getValue());
    }
}
