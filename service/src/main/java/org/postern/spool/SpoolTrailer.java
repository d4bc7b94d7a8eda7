package org.postern.spool;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed-width line right after the content: the content length again and the CRC32C of the
 * content and of the header. Recovery finds it from the header's content length without reading
 * the content, so a file cut anywhere (header, content, trailer) is detected at open; the content
 * CRC is checked whenever the content is read.
 *
 * @param contentLength the number of content bytes
 * @param contentCrc    CRC32C of the content bytes
 * @param headerCrc     CRC32C of the header bytes, from the version marker through the empty line
 */
record SpoolTrailer(long contentLength, int contentCrc, int headerCrc) {

    private static final String FORMAT = "POSTERN-END content-length=%019d content-crc32c=%08x header-crc32c=%08x\n";
    /** The trailer's length in bytes, newline included: every field has a fixed width. */
    static final int LENGTH = String.format(FORMAT, 0L, 0, 0).length();
    private static final Pattern LINE = Pattern.compile(
            "POSTERN-END content-length=(\\d{19}) content-crc32c=([0-9a-f]{8}) header-crc32c=([0-9a-f]{8})\n");

    byte[] encode() {
        return String.format(FORMAT, contentLength, contentCrc, headerCrc).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses the trailer at the start of {@code buf[offset, limit)}: the bytes from the end of the content on. */
    static SpoolTrailer decode(byte[] buf, int offset, int limit) throws QuarantineException {
        if (limit - offset < LENGTH) {
            throw new QuarantineException("truncated in trailer");
        }
        Matcher m = LINE.matcher(new String(buf, offset, LENGTH, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            throw new QuarantineException("malformed trailer after the content");
        }
        long length;
        try {
            length = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new QuarantineException("trailer content-length out of range");
        }
        return new SpoolTrailer(length, Integer.parseUnsignedInt(m.group(2), 16),
                Integer.parseUnsignedInt(m.group(3), 16));
    }
}
