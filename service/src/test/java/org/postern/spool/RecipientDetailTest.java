package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opaque detail stored with a recipient state (the queue's DSN report): exact round trip, last one wins. */
class RecipientDetailTest {

    /** Spaces, the encoder's specials, Unicode beyond the BMP, CR/LF, NUL and what looks like record syntax. */
    static final String DSN_REPORT = "action=failed status=5.1.1 remote-mta=dns;mx.example.net "
            + "diagnostic=smtp;550 5.1.1 <jörg@bücher.example>: user unknown 100% 😀 例え\r\n550 second line\u0000"
            + " detail=x state 0 DELIVERED 00000000";

    @TempDir
    Path dir;

    @Test
    void detailsRoundTripExactlyThroughReadAndRecovery() throws IOException {
        String id;
        List<String> expected = Arrays.asList(DSN_REPORT, null, "", "%41 %zz %");
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage stored = store(spool, 4, "content");
            id = stored.queueId();
            assertThat(stored.details()).containsExactly(null, null, null, null);
            spool.markRecipient(id, 0, RecipientState.FAILED, DSN_REPORT);
            spool.markRecipient(id, 1, RecipientState.DELIVERED); // the 3-argument form records no detail
            spool.markRecipient(id, 2, RecipientState.DELIVERED, "");
            spool.markRecipient(id, 3, RecipientState.PENDING, "%41 %zz %");
            SpooledMessage read = spool.read(id);
            assertThat(read.details()).containsExactlyElementsOf(expected);
            assertThat(read.states()).containsExactly(RecipientState.FAILED, RecipientState.DELIVERED,
                    RecipientState.DELIVERED, RecipientState.PENDING);
        }
        String text = Files.readString(queueFile(dir, id), StandardCharsets.ISO_8859_1);
        String records = text.substring(text.indexOf("\nstate 0 ") + 1);
        assertThat(records).isEqualTo(new String(records.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII));
        assertThat(records.lines()).hasSize(4).allMatch(line -> line.matches("state \\d [A-Z]+( detail=\\S*)? [0-9a-f]{8}"));
        assertThat(records).contains("\nstate 2 DELIVERED detail= ").contains("\n" + record("state 1 DELIVERED"));

        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            SpooledMessage recovered = reopened.recovered().get(0);
            assertThat(recovered.details()).containsExactlyElementsOf(expected);
            assertThat(recovered.details().get(0)).isEqualTo(DSN_REPORT);
        }
    }

    @Test
    void theLastRecordOfARecipientWinsDetailIncluded() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 2, "content").queueId();
            spool.markRecipient(id, 0, RecipientState.PENDING, "deferred: 451 4.4.1 first try");
            spool.markRecipient(id, 0, RecipientState.PENDING, "deferred: 421 4.7.0 second try");
            assertThat(spool.read(id).details()).containsExactly("deferred: 421 4.7.0 second try", null);
            spool.markRecipient(id, 0, RecipientState.DELIVERED);
            assertThat(spool.read(id).details()).containsExactly(null, null); // a record without detail clears it
            spool.markRecipient(id, 1, RecipientState.FAILED, "bounced");
            assertThat(spool.read(id).details()).containsExactly(null, "bounced");
            assertThat(spool.read(id).isComplete()).isTrue();
        }
    }

    @Test
    void pendingWithADetailIsStillPendingAndCannotBeRemoved() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 2, "content").queueId();
            spool.markRecipient(id, 0, RecipientState.DELIVERED, "250 ok");
            spool.markRecipient(id, 1, RecipientState.PENDING, "451 try later");
            assertThatThrownBy(() -> spool.remove(id)).isInstanceOf(IllegalStateException.class);
            assertThat(spool.queueIds()).containsExactly(id);
            spool.markRecipient(id, 1, RecipientState.DELIVERED, "250 ok");
            spool.remove(id);
            assertThat(spool.queueIds()).isEmpty();
        }
    }

    @Test
    void aDetailThatIsNotUnicodeIsRefusedBeforeTheFileIsTouched() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = store(spool, 1, "content").queueId();
            long size = Files.size(queueFile(dir, id));
            assertThatThrownBy(() -> spool.markRecipient(id, 0, RecipientState.FAILED, "lone \uD800 surrogate"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(Files.size(queueFile(dir, id))).isEqualTo(size);
            assertThat(spool.read(id).states()).containsExactly(RecipientState.PENDING);
        }
    }

    @Test
    void badDetailRecordsAreIgnoredEvenUnderAGoodCrc() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 2, "content").queueId();
            spool.markRecipient(id, 0, RecipientState.PENDING, "kept");
        }
        String records = record("state 0 FAILED detail=%ZZ")      // bad escape
                + record("state 0 FAILED detail=a b")              // a raw space in the value
                + record("state 0 FAILED reason=x")               // not a detail
                + record("state 0 FAILED detail=\u00e9")           // a raw non-ASCII byte
                + record("state 0 FAILED detail=x y=z")            // too many fields
                + "state 1 FAILED detail=bad-crc 00000000\n"
                + "state 1 FAILED detail=tor";                    // torn by a crash
        Files.write(queueFile(dir, id), records.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND);
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.quarantinedCount()).isZero();
            SpooledMessage m = reopened.recovered().get(0);
            assertThat(m.states()).containsOnly(RecipientState.PENDING);
            assertThat(m.details()).containsExactly("kept", null);
            reopened.markRecipient(id, 1, RecipientState.FAILED, "after the torn record");
            assertThat(reopened.read(id).details()).containsExactly("kept", "after the torn record");
        }
    }

    /** A record line as Postern writes it: the body, a space, its CRC32C over the body's bytes. */
    static String record(String body) {
        return body + " " + String.format("%08x", crc32c(body.getBytes(StandardCharsets.ISO_8859_1))) + "\n";
    }
}
