package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.options;
import static org.postern.spool.SpoolFixtures.queueFile;
import static org.postern.spool.SpoolFixtures.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/**
 * The envelope's source address (DaemonPortOptions modifier b) in the spool: written as the
 * {@code source-address} field of format version 2, only when present, so files without it stay
 * version 1 and readable by older readers; both versions read back, across a restart.
 */
class SpoolSourceAddressTest {

    @TempDir
    Path dir;

    private static Envelope envelope(String id, String source) {
        return new Envelope(id, Instant.parse("2025-07-01T12:00:00Z"), new MailAddress("app", "example.org"),
                List.of(Recipient.of(new MailAddress("rcpt", "example.net"))), BodyType.SEVEN_BIT, false, null, null,
                "192.0.2.1", null, "client.example", null, "ESMTP", "VHOST", source);
    }

    private static String header(Envelope e) throws IOException {
        return new String(SpoolHeader.encode(e), StandardCharsets.US_ASCII);
    }

    @Test
    void theFieldIsWrittenInVersionTwoOnlyWhenPresent() throws IOException {
        assertThat(header(envelope("A1", "192.0.2.25"))).startsWith("POSTERN-SPOOL 2\n")
                .contains("\nlistener VHOST\nsource-address 192.0.2.25\nrcpt 0 ");
        assertThat(header(envelope("A2", "2001:db8::25"))).contains("\nsource-address 2001:db8::25\n");
        assertThat(header(envelope("A3", null))).startsWith("POSTERN-SPOOL 1\n").doesNotContain("source-address");
    }

    @Test
    void bothVersionsReadBackAcrossARestart() throws IOException {
        Envelope withSource;
        Envelope without;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            withSource = envelope(spool.newQueueId(), "127.0.0.2");
            without = envelope(spool.newQueueId(), null);
            store(spool, withSource, "Subject: b\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            store(spool, without, "Subject: -\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readString(queueFile(dir, withSource.queueId()), StandardCharsets.ISO_8859_1))
                .startsWith("POSTERN-SPOOL 2\n");
        assertThat(Files.readString(queueFile(dir, without.queueId()), StandardCharsets.ISO_8859_1))
                .startsWith("POSTERN-SPOOL 1\n");
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).extracting(SpooledMessage::envelope)
                    .containsExactlyInAnyOrder(withSource, without);
            assertThat(reopened.read(withSource.queueId()).envelope().sourceAddress()).isEqualTo("127.0.0.2");
            assertThat(reopened.read(without.queueId()).envelope().sourceAddress()).isNull();
        }
    }

    @Test
    void aVersionOneHeaderWithTheFieldIsCorrupt() throws IOException {
        byte[] v2 = SpoolHeader.encode(envelope("A4", "192.0.2.25"));
        byte[] v1 = new String(v2, StandardCharsets.US_ASCII).replace("POSTERN-SPOOL 2\n", "POSTERN-SPOOL 1\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(SpoolHeader.decode(v2, v2.length).envelope().sourceAddress()).isEqualTo("192.0.2.25");
        assertThatThrownBy(() -> SpoolHeader.decode(v1, v1.length)).isInstanceOf(QuarantineException.class)
                .hasMessage("unknown header field source-address");
    }
}
