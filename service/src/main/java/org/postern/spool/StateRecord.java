package org.postern.spool;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A recipient state change appended after the trailer: {@code state <index> <STATE> <crc32c>\n},
 * the CRC covering the text before its space. Appends are fsynced one by one, so at most the last
 * record can be torn by a crash; any line that is incomplete or fails its CRC is ignored, and the
 * last valid record per recipient wins. Ignoring a record only ever means a recipient is tried
 * again (at-least-once), never that one is lost.
 */
final class StateRecord {

    private StateRecord() {
    }

    static byte[] encode(int index, RecipientState state) {
        String body = "state " + index + " " + state.name();
        return (body + " " + String.format("%08x", crc(body)) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The states after applying the records in {@code buf[from, limit)} to all-pending. */
    static Applied apply(byte[] buf, int from, int limit, int recipients) {
        RecipientState[] states = new RecipientState[recipients];
        Arrays.fill(states, RecipientState.PENDING);
        int ignored = 0;
        int start = from;
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                if (!applyLine(new String(buf, start, i - start, StandardCharsets.ISO_8859_1), states)) {
                    ignored++;
                }
                start = i + 1;
            }
        }
        return new Applied(List.of(states), ignored, start < limit);
    }

    /**
     * @param states       the resulting state per recipient
     * @param invalidLines complete lines that were not valid records (a torn record followed by later appends)
     * @param tornTail     whether the region ends with an incomplete line
     */
    record Applied(List<RecipientState> states, int invalidLines, boolean tornTail) {
    }

    private static boolean applyLine(String line, RecipientState[] states) {
        int lastSpace = line.lastIndexOf(' ');
        if (lastSpace < 0 || !line.startsWith("state ")) {
            return false;
        }
        String body = line.substring(0, lastSpace);
        String crc = line.substring(lastSpace + 1);
        if (crc.length() != 8 || !crc.equals(String.format("%08x", crc(body)))) {
            return false;
        }
        String[] parts = body.split(" ");
        if (parts.length != 3) {
            return false;
        }
        try {
            int index = Integer.parseInt(parts[1]);
            RecipientState state = RecipientState.valueOf(parts[2]);
            if (index < 0 || index >= states.length) {
                return false;
            }
            states[index] = state;
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }
}
