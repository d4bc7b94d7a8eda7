package org.postern.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The structure of one committed spool file, read without its content: the header (envelope), the
 * trailer found at the offset the header announces, and the records appended after it (recipient
 * states and details, delivery schedule, hold).
 * Any inconsistency is a {@link QuarantineException} naming where the file is broken.
 *
 * @param message      the envelope, the recipient states and details, the schedule and the content length
 * @param contentStart the offset of the first content byte (the header's length)
 * @param contentCrc   the content's CRC32C according to the trailer
 * @param size         the file's size when read; records are appended here
 * @param tornTail     whether the file ends with an incomplete record
 */
record SpoolFile(SpooledMessage message, long contentStart, int contentCrc, long size, boolean tornTail) {

    /** Enough for the whole of a typical small message, so most files are read with one call. */
    private static final int FIRST_READ = 16 * 1024;
    /**
     * The most read after the content at open (trailer and records): records are 30 to a few hundred
     * bytes each, so more than this is corruption. {@link Spool} never appends beyond it.
     */
    static final long MAX_TAIL = 64L << 20;

    static SpoolFile read(FileChannel ch) throws IOException {
        long size = ch.size();
        int available = (int) Math.min(size, FIRST_READ);
        byte[] buf = new byte[available];
        Fsync.readFully(ch, buf, 0, available, 0);
        SpoolHeader.checkVersion(buf, available);
        int headerLength = SpoolHeader.length(buf, available);
        while (headerLength < 0) {
            if (available == size) {
                throw new QuarantineException("truncated in header");
            }
            if (available >= SpoolHeader.MAX_LENGTH) {
                throw new QuarantineException("header longer than " + SpoolHeader.MAX_LENGTH + " bytes");
            }
            int more = (int) Math.min(size, Math.min((long) available * 4, SpoolHeader.MAX_LENGTH));
            byte[] bigger = new byte[more];
            System.arraycopy(buf, 0, bigger, 0, available);
            Fsync.readFully(ch, bigger, available, more - available, available);
            buf = bigger;
            available = more;
            headerLength = SpoolHeader.length(buf, available);
        }
        SpoolHeader.Parsed header = SpoolHeader.decode(buf, headerLength);
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(buf, 0, headerLength);

        long contentEnd = headerLength + header.contentLength();
        if (header.contentLength() > size || contentEnd > size) {
            throw new QuarantineException("truncated in content: " + size + " bytes, the header announces "
                    + header.contentLength() + " content bytes after " + headerLength + " header bytes");
        }
        long tailLength = size - contentEnd;
        if (tailLength > MAX_TAIL) {
            throw new QuarantineException(tailLength + " bytes after the content");
        }
        byte[] tail;
        int tailStart;
        if (size <= available) {
            tail = buf;
            tailStart = (int) contentEnd;
        } else {
            tail = new byte[(int) tailLength];
            Fsync.readFully(ch, tail, 0, tail.length, contentEnd);
            tailStart = 0;
        }
        int tailLimit = tailStart + (int) tailLength;
        SpoolTrailer trailer = SpoolTrailer.decode(tail, tailStart, tailLimit);
        if (trailer.contentLength() != header.contentLength()) {
            throw new QuarantineException("trailer content length " + trailer.contentLength()
                    + " differs from the header's " + header.contentLength());
        }
        if (trailer.headerCrc() != (int) headerCrc.getValue()) {
            throw new QuarantineException("header CRC mismatch");
        }
        SpoolRecord.Applied records = SpoolRecord.apply(tail, tailStart + SpoolTrailer.LENGTH, tailLimit,
                header.envelope().recipients().size(), header.envelope().arrival());
        SpooledMessage message = new SpooledMessage(header.envelope(), records.states(), records.details(),
                records.schedule(), header.contentLength(), size, records.heldSince());
        return new SpoolFile(message, headerLength, trailer.contentCrc(), size, records.tornTail());
    }

    /** The bytes after the content: the trailer and the records. */
    long tailLength() {
        return size - contentStart - message.contentLength();
    }
}
