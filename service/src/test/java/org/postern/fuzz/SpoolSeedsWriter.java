package org.postern.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.spool.DeliverySchedule;
import org.postern.spool.RecipientState;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpoolWriter;

/**
 * Writes the seed corpus of {@link SpoolReaderFuzzTest}: real spool files written by {@link Spool}
 * (with recipient states, details, schedule and hold records appended), and corrupt variants of
 * them (cut in the header, the content or the trailer, a flipped byte, a torn record, a wrong
 * version or queue id, an absurd content length). Run only on request, when the spool format
 * changes: {@code ./mvnw -o -pl service test -Dtest=SpoolSeedsWriter -Dpostern.fuzz.write-seeds=true}.
 */
class SpoolSeedsWriter {

    private static final Path INPUTS = Path.of("src/test/resources/org/postern/fuzz/SpoolReaderFuzzTestInputs");
    private static final String ID = SpoolReaderFuzzTest.QUEUE_ID;
    private static final Instant ARRIVAL = Instant.parse("2026-11-21T09:30:00.123456789Z");

    @Test
    @EnabledIfSystemProperty(named = "postern.fuzz.write-seeds", matches = "true")
    void writeSeeds(@TempDir Path dir) throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] plain = spoolFile(dir.resolve("1"), envelope(mailbox("app@example.com"),
                List.of(Recipient.of(mailbox("user@example.net"))), BodyType.SEVEN_BIT, false, null),
                "Subject: hello\r\n\r\nHello.\r\n", false);
        seeds.put("valid-plain", plain);
        seeds.put("valid-empty-content", spoolFile(dir.resolve("2"), envelope(MailAddress.NULL_SENDER,
                List.of(Recipient.of(mailbox("postmaster"))), BodyType.SEVEN_BIT, false, null), "", false));
        byte[] full = spoolFile(dir.resolve("3"), new Envelope(ID, ARRIVAL, mailbox("\"odd sender\"@[192.0.2.1]"),
                List.of(new Recipient(mailbox("a@example.com"), EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                                "rfc822;a+40example.com"),
                        new Recipient(mailbox("b@[IPv6:2001:db8::1]"), EnumSet.of(DsnNotify.NEVER), null),
                        new Recipient(utf8Mailbox("θσερ@παράδειγμα.ελ"), Set.of(), "utf-8;θσερ@παράδειγμα.ελ")),
                BodyType.EIGHT_BIT_MIME, true, DsnReturn.HDRS, "ENV+2B1", "192.0.2.7", "client.example.org",
                "client.example.org", "alice", "UTF8SMTPSA", "msa", "198.51.100.25"),
                "Subject: =?utf-8?q?caf=C3=A9?=\r\nX-Eight: caf\u00e9\r\n\r\n.leading dot\r\nline\rwith bare CR\n",
                true);
        seeds.put("valid-all-fields-and-records", full);
        seeds.put("valid-version-1-records", spoolFile(dir.resolve("4"), envelope(mailbox("a@example.com"),
                List.of(Recipient.of(mailbox("x@example.com")), Recipient.of(mailbox("y@example.com"))),
                BodyType.SEVEN_BIT, false, DsnReturn.FULL), "Subject: two\r\n\r\nTwo recipients.\r\n", true));

        seeds.put("corrupt-truncated-in-header", Arrays.copyOf(plain, 40));
        seeds.put("corrupt-truncated-in-content", Arrays.copyOf(plain, indexOf(plain, "Hello.")));
        seeds.put("corrupt-truncated-in-trailer", Arrays.copyOf(plain, indexOf(plain, "content-crc32c")));
        seeds.put("corrupt-content-byte-flipped", replace(plain, "Hello.", "Hellp."));
        seeds.put("corrupt-header-byte-flipped", replace(plain, "user@example.net", "user@example.nes"));
        seeds.put("corrupt-version-9", replace(plain, "POSTERN-SPOOL 1", "POSTERN-SPOOL 9"));
        seeds.put("corrupt-not-a-spool-file", "From app@example.com Sat Nov 21 09:30:00 2026\nSubject: x\n\nbody\n"
                .getBytes(StandardCharsets.US_ASCII));
        seeds.put("corrupt-wrong-queue-id", replace(plain, ID, "F0000000000FUZY"));
        seeds.put("corrupt-content-length-overflow",
                replace(plain, "content-length 0000000000000000", "content-length 9999999999999999"));
        seeds.put("corrupt-content-length-beyond-file",
                replace(plain, "content-length 0000000000", "content-length 9000000000"));
        seeds.put("corrupt-duplicate-field", replace(plain, "smtputf8 no\n", "smtputf8 no\nsmtputf8 no\n"));
        seeds.put("corrupt-unknown-field", replace(plain, "smtputf8 no\n", "smtputf8 no\nx-unknown 1\n"));
        seeds.put("corrupt-no-recipients", replace(plain, "rcpt 0 <user@example.net> notify=\n", ""));
        seeds.put("corrupt-bad-escape", replace(plain, "<user@example.net>", "<us%Zr@example.net>"));
        seeds.put("corrupt-torn-record", Arrays.copyOf(full, full.length - 5));
        seeds.put("corrupt-record-crc", replace(full, "hold off", "hold of_"));
        seeds.put("corrupt-garbage-after-records", concat(full, "state 9 DELIVERED 00000000\nnot a record\n"));
        for (String method : List.of("spoolFiles", "spoolFilesWithValidChecksums")) {
            Path target = INPUTS.resolve(method);
            Files.createDirectories(target);
            for (var seed : seeds.entrySet()) {
                Files.write(target.resolve(seed.getKey()), seed.getValue());
            }
        }
    }

    private static Envelope envelope(MailAddress sender, List<Recipient> recipients, BodyType body, boolean utf8,
            DsnReturn ret) {
        return new Envelope(ID, ARRIVAL, sender, recipients, body, utf8, ret, null, "127.0.0.1", null,
                "app.example.com", null, "ESMTP", "smtp");
    }

    /** Writes one message (and, with {@code records}, a state, detail, schedule and hold record per kind). */
    private static byte[] spoolFile(Path dir, Envelope envelope, String content, boolean records) throws IOException {
        try (Spool spool = Spool.open(new SpoolOptions(dir, Duration.ZERO), SpoolEvents.NONE)) {
            try (SpoolWriter writer = spool.create(envelope)) {
                try (OutputStream out = writer.content()) {
                    out.write(content.getBytes(StandardCharsets.UTF_8));
                }
                writer.commit();
            }
            if (records) {
                spool.markRecipient(ID, 0, RecipientState.DELIVERED, "250 2.0.0 Ok: queued as 4Xyz");
                spool.markRecipient(ID, envelope.recipients().size() - 1, RecipientState.FAILED,
                        "550 5.1.1 <x@example.com>: user unknown\r\nsecond line, 100% odd = <>@,");
                spool.recordSchedule(ID, new DeliverySchedule(3, ARRIVAL.plusSeconds(3600), true));
                spool.recordHold(ID, true, ARRIVAL.plusSeconds(60));
                spool.recordHold(ID, false, ARRIVAL.plusSeconds(120));
            }
            return Files.readAllBytes(dir.resolve("queue").resolve(ID));
        }
    }

    private static MailAddress mailbox(String s) {
        try {
            return MailAddress.parseMailbox(s, false);
        } catch (org.postern.smtp.AddressException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static MailAddress utf8Mailbox(String s) {
        try {
            return MailAddress.parseMailbox(s, true);
        } catch (org.postern.smtp.AddressException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static int indexOf(byte[] file, String text) {
        int at = new String(file, StandardCharsets.ISO_8859_1).indexOf(text);
        if (at < 0) {
            throw new IllegalStateException("no '" + text + "' in the seed");
        }
        return at;
    }

    private static byte[] replace(byte[] file, String from, String to) {
        String s = new String(file, StandardCharsets.ISO_8859_1);
        indexOf(file, from);
        return s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, String b) {
        byte[] tail = b.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, out, a.length, tail.length);
        return out;
    }
}
