package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/** Envelopes, contents and spool helpers shared by the spool tests. */
final class SpoolFixtures {

    private SpoolFixtures() {
    }

    static SpoolOptions options(Path dir) {
        return new SpoolOptions(dir, Duration.ZERO);
    }

    /** An envelope with every field set, and values that need encoding in each of them. */
    static Envelope fullEnvelope(String queueId) {
        List<Recipient> recipients = List.of(
                new Recipient(new MailAddress("\"john doe@home\"", "example.com"),
                        EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE, DsnNotify.DELAY), "rfc822;john+doe@example.com"),
                new Recipient(new MailAddress("jörg", "bücher.example"), EnumSet.of(DsnNotify.NEVER), "utf-8;j%C3%B6rg"),
                new Recipient(new MailAddress("postmaster", null), Set.of(), null),
                new Recipient(new MailAddress("a%b<c>,=d", "[IPv6:2001:db8::1]"), Set.of(), ""));
        return new Envelope(queueId, Instant.parse("2025-03-04T05:06:07.123456789Z"),
                new MailAddress("\"sender with spaces\\\" and @\"", "例え.テスト"), recipients, BodyType.EIGHT_BIT_MIME,
                true, DsnReturn.HDRS, "QQ+2B314159\r\nX", "2001:db8::25", "client name\twith tab", "helo.example\u0000",
                "user@example.com \u00e9", "UTF8SMTPSA", "MSA 587");
    }

    /** A plain envelope with the optional fields null. */
    static Envelope envelope(String queueId, int recipients) {
        List<Recipient> list = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            list.add(Recipient.of(new MailAddress("rcpt" + i, "example.net")));
        }
        return new Envelope(queueId, Instant.now(), new MailAddress("sender", "example.org"), list, BodyType.SEVEN_BIT,
                false, null, null, "192.0.2.1", null, "client.example", null, "ESMTP", "MTA");
    }

    /** Content with CR, LF, bare CR, NUL and every byte value. */
    static byte[] binaryContent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Subject: t\r\n\r\nline\rbare CR\nbare LF\u0000NUL\r\n.\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 256; i++) {
            out.write(i);
        }
        // Looks like a trailer and a header end: the reader must go by the length, not by content.
        out.writeBytes("\r\nPOSTERN-END content-length=0000000000000000001 fake trailer\n\n"
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static SpooledMessage store(Spool spool, Envelope envelope, byte[] content) throws IOException {
        try (SpoolWriter writer = spool.create(envelope)) {
            writer.content().write(content);
            return writer.commit();
        }
    }

    static SpooledMessage store(Spool spool, int recipients, String text) throws IOException {
        return store(spool, envelope(spool.newQueueId(), recipients), text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] content(Spool spool, String queueId) throws IOException {
        try (InputStream in = spool.openContent(queueId)) {
            return in.readAllBytes();
        }
    }

    static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    static Path queueFile(Path dir, String queueId) {
        return dir.resolve("queue").resolve(queueId);
    }

    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void assertEmpty(Path dir) throws IOException {
        assertThat(names(dir)).isEmpty();
    }
}
