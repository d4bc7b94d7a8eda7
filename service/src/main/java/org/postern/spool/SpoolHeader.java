package org.postern.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/**
 * The text header of a spool file: the version marker, the content length and every field of the
 * {@link Envelope}, one {@code key value} line each, ended by an empty line. ASCII only: values go
 * through {@link FieldEncoding}. A null field is an absent line; an empty string is a line with
 * the key alone. The grammar is in {@code docs/spool-format.md}.
 *
 * <p>The content length is not known when the header is written (the content streams after it), so
 * it is a fixed-width field at a fixed offset that the writer fills in before the fsync.
 */
final class SpoolHeader {

    static final String VERSION_LINE = "POSTERN-SPOOL 1";
    /**
     * Version 2 is version 1 plus the optional {@code source-address} field. It is written only
     * when that field is present, so every other file stays readable by a version-1 reader.
     */
    static final String VERSION_2_LINE = "POSTERN-SPOOL 2";
    static final String MAGIC = "POSTERN-SPOOL ";
    private static final String LENGTH_KEY = "content-length ";
    static final int LENGTH_DIGITS = 19; // Long.MAX_VALUE has 19 digits
    /** Where the content length's digits start: after the version line and the key. */
    static final int LENGTH_OFFSET = VERSION_LINE.length() + 1 + LENGTH_KEY.length();
    /** Large enough for tens of thousands of recipients; a longer header is corruption. */
    static final int MAX_LENGTH = 4 << 20;

    /** A parsed header: the envelope and the content length it announces. */
    record Parsed(Envelope envelope, long contentLength) {
    }

    private SpoolHeader() {
    }

    /** The header for {@code e}, with a zero content length to be patched by {@link #patchContentLength}. */
    static byte[] encode(Envelope e) throws IOException {
        StringBuilder h = new StringBuilder(512);
        h.append(e.sourceAddress() == null ? VERSION_LINE : VERSION_2_LINE).append('\n');
        h.append(LENGTH_KEY).append("0".repeat(LENGTH_DIGITS)).append('\n');
        line(h, "queue-id", e.queueId());
        line(h, "arrival", e.arrival().toString());
        h.append("sender ").append(address(e.sender())).append('\n');
        h.append("body ").append(e.body().keyword()).append('\n');
        h.append("smtputf8 ").append(e.smtpUtf8() ? "yes" : "no").append('\n');
        line(h, "ret", e.ret() == null ? null : e.ret().name());
        line(h, "envid", e.envId());
        line(h, "client-address", e.clientAddress());
        line(h, "client-name", e.clientName());
        line(h, "helo", e.heloName());
        line(h, "auth", e.authenticatedAs());
        line(h, "protocol", e.protocol());
        line(h, "listener", e.listener());
        line(h, "source-address", e.sourceAddress());
        List<Recipient> recipients = e.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            h.append("rcpt ").append(i).append(' ').append(address(r.address())).append(" notify=");
            StringJoiner notify = new StringJoiner(",");
            EnumSet<DsnNotify> ordered = EnumSet.noneOf(DsnNotify.class); // a fixed order, for stable files
            ordered.addAll(r.dsnNotify());
            ordered.forEach(n -> notify.add(n.name()));
            h.append(notify);
            if (r.orcpt() != null) {
                h.append(" orcpt=").append(FieldEncoding.encode(r.orcpt()));
            }
            h.append('\n');
        }
        h.append('\n');
        byte[] bytes = h.toString().getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_LENGTH) {
            throw new IOException("envelope too large for the spool header: " + bytes.length + " bytes");
        }
        return bytes;
    }

    static void patchContentLength(byte[] header, long contentLength) {
        String digits = String.format("%0" + LENGTH_DIGITS + "d", contentLength);
        byte[] ascii = digits.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, header, LENGTH_OFFSET, LENGTH_DIGITS);
    }

    /** The length of the header in {@code buf[0, limit)} including its empty last line, or -1 if it is not complete. */
    static int length(byte[] buf, int limit) {
        for (int i = 1; i < limit; i++) {
            if (buf[i] == '\n' && buf[i - 1] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Checks the version marker in the first bytes of a file, before looking for the header's end.
     *
     * @return the format version, 1 or 2
     */
    static int checkVersion(byte[] buf, int limit) throws QuarantineException {
        int n = Math.min(limit, VERSION_LINE.length() + 1);
        String start = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        if (start.equals(VERSION_LINE + "\n")) {
            return 1;
        }
        if (start.equals(VERSION_2_LINE + "\n")) {
            return 2;
        }
        if (!(VERSION_LINE + "\n").startsWith(start) && !(VERSION_2_LINE + "\n").startsWith(start)) {
            if (start.startsWith(MAGIC)) {
                int eol = start.indexOf('\n');
                throw new QuarantineException("unsupported spool format version "
                        + (eol < 0 ? start : start.substring(0, eol)).substring(MAGIC.length()));
            }
            throw new QuarantineException("bad version marker (not a Postern spool file)");
        }
        throw new QuarantineException("truncated in header");
    }

    /** Parses a complete header, {@code buf[0, length)} as returned by {@link #length}. */
    static Parsed decode(byte[] buf, int length) throws QuarantineException {
        int version = checkVersion(buf, length);
        for (int i = 0; i < length; i++) {
            if (buf[i] < 0x20 && buf[i] != '\n' || buf[i] >= 0x7F) {
                throw new QuarantineException("control or non-ASCII byte in header at offset " + i);
            }
        }
        String[] lines = new String(buf, 0, length - 2, StandardCharsets.US_ASCII).split("\n", -1);
        if (lines.length < 2 || !lines[1].startsWith(LENGTH_KEY)
                || lines[1].length() != LENGTH_KEY.length() + LENGTH_DIGITS) {
            throw new QuarantineException("missing content-length line");
        }
        long contentLength = digits(lines[1].substring(LENGTH_KEY.length()));

        Fields f = new Fields(version);
        Set<String> seen = new HashSet<>();
        List<Recipient> recipients = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1);
            if (key.equals("rcpt")) {
                recipients.add(recipient(value, recipients.size()));
                continue;
            }
            if (!seen.add(key)) {
                throw new QuarantineException("duplicate header field " + key);
            }
            f.set(key, value);
        }
        if (recipients.isEmpty()) {
            throw new QuarantineException("no recipients");
        }
        try {
            Envelope envelope = new Envelope(f.require("queue-id", f.queueId),
                    arrival(f.require("arrival", f.arrival)), f.require("sender", f.sender), recipients,
                    f.require("body", f.body), f.require("smtputf8", f.smtpUtf8), f.ret, f.envId,
                    f.clientAddress, f.clientName, f.helo, f.auth, f.protocol, f.listener, f.sourceAddress);
            return new Parsed(envelope, contentLength);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new QuarantineException("invalid envelope: " + e.getMessage());
        }
    }

    /** The header fields other than recipients, as they are parsed. */
    private static final class Fields {
        final int version;
        String queueId;
        String arrival;
        MailAddress sender;
        BodyType body;
        Boolean smtpUtf8;
        DsnReturn ret;
        String envId;
        String clientAddress;
        String clientName;
        String helo;
        String auth;
        String protocol;
        String listener;
        String sourceAddress;

        Fields(int version) {
            this.version = version;
        }

        void set(String key, String value) throws QuarantineException {
            switch (key) {
                case "queue-id" -> queueId = FieldEncoding.decode(value);
                case "arrival" -> arrival = value;
                case "sender" -> sender = address(value);
                case "body" -> {
                    body = BodyType.fromKeyword(value);
                    if (body == null) {
                        throw new QuarantineException("unknown body type " + value);
                    }
                }
                case "smtputf8" -> {
                    if (!value.equals("yes") && !value.equals("no")) {
                        throw new QuarantineException("smtputf8 must be yes or no: " + value);
                    }
                    smtpUtf8 = value.equals("yes");
                }
                case "ret" -> ret = switch (value) {
                    case "FULL" -> DsnReturn.FULL;
                    case "HDRS" -> DsnReturn.HDRS;
                    default -> throw new QuarantineException("unknown ret value " + value);
                };
                case "envid" -> envId = FieldEncoding.decode(value);
                case "client-address" -> clientAddress = FieldEncoding.decode(value);
                case "client-name" -> clientName = FieldEncoding.decode(value);
                case "helo" -> helo = FieldEncoding.decode(value);
                case "auth" -> auth = FieldEncoding.decode(value);
                case "protocol" -> protocol = FieldEncoding.decode(value);
                case "listener" -> listener = FieldEncoding.decode(value);
                case "source-address" -> {
                    if (version < 2) {
                        throw new QuarantineException("unknown header field " + key); // not in version 1
                    }
                    sourceAddress = FieldEncoding.decode(value);
                }
                default -> throw new QuarantineException("unknown header field " + key);
            }
        }

        <T> T require(String key, T value) throws QuarantineException {
            if (value == null) {
                throw new QuarantineException("missing header field " + key);
            }
            return value;
        }
    }

    private static Recipient recipient(String value, int expectedIndex) throws QuarantineException {
        String[] parts = value.split(" ", -1);
        if (parts.length < 3 || parts.length > 4 || !parts[0].equals(Integer.toString(expectedIndex))
                || !parts[2].startsWith("notify=") || parts.length == 4 && !parts[3].startsWith("orcpt=")) {
            throw new QuarantineException("malformed rcpt line " + expectedIndex);
        }
        MailAddress address = address(parts[1]);
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        String list = parts[2].substring("notify=".length());
        if (!list.isEmpty()) {
            for (String n : list.split(",", -1)) {
                try {
                    notify.add(DsnNotify.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new QuarantineException("unknown notify value " + n);
                }
            }
        }
        String orcpt = parts.length == 4 ? FieldEncoding.decode(parts[3].substring("orcpt=".length())) : null;
        return new Recipient(address, notify, orcpt);
    }

    /** One field: absent when null, the key alone when empty, else key, space and encoded value. */
    private static void line(StringBuilder h, String key, String value) throws IOException {
        if (value == null) {
            return;
        }
        h.append(key);
        if (!value.isEmpty()) {
            h.append(' ').append(FieldEncoding.encode(value));
        }
        h.append('\n');
    }

    /** {@code <local@domain>}, {@code <local>} when the domain is null, {@code <>} for the null sender. */
    private static String address(MailAddress a) throws IOException {
        if (a.localPart() == null) {
            throw new IllegalArgumentException("address without local part");
        }
        String local = FieldEncoding.encode(a.localPart());
        return a.domain() == null ? "<" + local + ">" : "<" + local + "@" + FieldEncoding.encode(a.domain()) + ">";
    }

    private static MailAddress address(String token) throws QuarantineException {
        if (token.length() < 2 || token.charAt(0) != '<' || token.charAt(token.length() - 1) != '>') {
            throw new QuarantineException("malformed address " + token);
        }
        String inner = token.substring(1, token.length() - 1);
        int at = inner.indexOf('@');
        if (at < 0) {
            return new MailAddress(FieldEncoding.decode(inner), null);
        }
        return new MailAddress(FieldEncoding.decode(inner.substring(0, at)),
                FieldEncoding.decode(inner.substring(at + 1)));
    }

    private static Instant arrival(String value) throws QuarantineException {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new QuarantineException("bad arrival time " + value);
        }
    }

    private static long digits(String s) throws QuarantineException {
        if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new QuarantineException("bad content-length " + s);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new QuarantineException("content-length out of range " + s);
        }
    }
}
