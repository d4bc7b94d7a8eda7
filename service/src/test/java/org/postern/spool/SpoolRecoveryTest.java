package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery at open: what is intact comes back, what is corrupt goes to quarantine/ and is reported. */
class SpoolRecoveryTest {

    @TempDir
    Path dir;

    /** One quarantine report. */
    record Event(Path file, String reason) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    final SpoolEvents recorder = (file, reason) -> events.add(new Event(file, reason));

    @Test
    void filesCutInHeaderContentOrTrailerAreQuarantinedAndTheOthersRecovered() throws IOException {
        String content = "Subject: cut\r\n\r\n" + "0123456789".repeat(100) + "\r\n";
        Map<String, Integer> cuts = new LinkedHashMap<>(); // queue id -> cut offset
        Map<String, String> expectedReason = new LinkedHashMap<>();
        List<SpooledMessage> intact;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            SpooledMessage first = store(spool, 1, "intact one");
            for (String where : List.of("empty", "version", "header-middle", "header-end",
                    "content-start", "content-middle", "trailer-start", "trailer-middle", "trailer-last-byte")) {
                SpooledMessage m = store(spool, 1, content);
                byte[] file = Files.readAllBytes(queueFile(dir, m.queueId()));
                int h = headerLength(file);
                int l = (int) m.contentLength();
                int t = SpoolTrailer.LENGTH;
                int offset = switch (where) {
                    case "empty" -> 0;
                    case "version" -> 7;
                    case "header-middle" -> h / 2;
                    case "header-end" -> h - 1;
                    case "content-start" -> h;
                    case "content-middle" -> h + l / 2;
                    case "trailer-start" -> h + l;
                    case "trailer-middle" -> h + l + t / 2;
                    default -> h + l + t - 1;
                };
                assertThat(offset).isLessThan(file.length);
                cuts.put(m.queueId(), offset);
                expectedReason.put(m.queueId(), "truncated in " + where.substring(0, where.indexOf('-') < 0
                        ? where.length() : where.indexOf('-')).replace("empty", "header").replace("version", "header"));
            }
            SpooledMessage last = store(spool, 3, "intact two");
            intact = List.of(first, last);
        }
        for (Map.Entry<String, Integer> cut : cuts.entrySet()) {
            try (FileChannel ch = FileChannel.open(queueFile(dir, cut.getKey()), StandardOpenOption.WRITE)) {
                ch.truncate(cut.getValue());
            }
        }

        try (Spool reopened = Spool.open(options(dir), recorder)) {
            assertThat(reopened.recovered()).containsExactlyElementsOf(intact);
            assertThat(reopened.queueIds()).containsExactly(intact.get(0).queueId(), intact.get(1).queueId());
            assertThat(reopened.quarantinedCount()).isEqualTo(cuts.size());
            assertThat(names(dir.resolve("quarantine"))).containsExactlyElementsOf(cuts.keySet());
            assertThat(events).hasSize(cuts.size());
            for (Event e : events) {
                String id = e.file().getFileName().toString();
                assertThat(e.file()).isEqualTo(dir.resolve("quarantine").resolve(id).toAbsolutePath());
                assertThat(e.reason()).as(id).startsWith(expectedReason.get(id));
                assertThat(Files.size(e.file())).isEqualTo(cuts.get(id).longValue()); // moved as it was, never deleted
            }
        }
    }

    @Test
    void badVersionMarkersAreQuarantined() throws IOException {
        String newer;
        String foreign;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            newer = store(spool, 1, "x").queueId();
            foreign = store(spool, 1, "y").queueId();
        }
        replace(newer, "POSTERN-SPOOL 1\n", "POSTERN-SPOOL 3\n");
        replace(foreign, "POSTERN-SPOOL 1\n", "From MAILER-DAEMON\n");
        try (Spool reopened = Spool.open(options(dir), recorder)) {
            assertThat(reopened.recovered()).isEmpty();
            assertThat(reasons()).containsEntry(newer, "unsupported spool format version 3")
                    .containsEntry(foreign, "bad version marker (not a Postern spool file)");
        }
    }

    @Test
    void aChangedHeaderFailsItsCrcAndAnUnparsableOneIsQuarantined() throws IOException {
        String changed;
        String unparsable;
        String lengthMismatch;
        SpooledMessage fine;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            changed = store(spool, 2, "x").queueId();
            unparsable = store(spool, 1, "y").queueId();
            lengthMismatch = store(spool, 1, "z").queueId();
            fine = store(spool, 1, "ok");
        }
        replace(changed, "<rcpt1@example.net>", "<rcpt2@example.net>"); // same length, still parses
        replace(unparsable, "smtputf8 no\n", "smtputf8 xx\n");
        replace(lengthMismatch, "POSTERN-END content-length=0000000000000000001", "POSTERN-END content-length=0000000000000000002");
        try (Spool reopened = Spool.open(options(dir), recorder)) {
            assertThat(reopened.recovered()).containsExactly(fine);
            assertThat(reasons())
                    .containsEntry(changed, "header CRC mismatch")
                    .containsEntry(unparsable, "smtputf8 must be yes or no: xx")
                    .containsEntry(lengthMismatch, "trailer content length 2 differs from the header's 1");
            assertThat(reopened.quarantinedCount()).isEqualTo(3);
        }
    }

    @Test
    void badContentCrcIsFoundWhenReadAndQuarantinesBeforeTheLastBytes() throws IOException {
        byte[] content = ("Subject: x\r\n\r\n" + "z".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, envelope(spool.newQueueId(), 1), content).queueId();
        }
        Path file = queueFile(dir, id);
        byte[] bytes = Files.readAllBytes(file);
        int flip = headerLength(bytes) + 20;
        bytes[flip] ^= 0x01;
        Files.write(file, bytes);

        try (Spool reopened = Spool.open(options(dir), recorder)) {
            // Open reads headers and trailers only: the flipped content byte is found on reading.
            assertThat(reopened.recovered()).hasSize(1);
            long delivered = 0;
            byte[] buf = new byte[8192];
            try (InputStream in = reopened.openContent(id)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    delivered += n;
                }
                throw new AssertionError("no CRC error after " + delivered + " bytes");
            } catch (QuarantineException e) {
                assertThat(e.reason()).isEqualTo("content CRC mismatch");
            }
            assertThat(delivered).isLessThan(content.length); // the reader never saw the whole message
            assertThat(reopened.quarantinedCount()).isEqualTo(1);
            assertThat(reasons()).containsExactly(Map.entry(id, "content CRC mismatch"));
            assertThat(names(dir.resolve("quarantine"))).containsExactly(id);
            assertThat(reopened.queueIds()).isEmpty();
            assertThatThrownBy(() -> reopened.read(id)).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void corruptionFoundAfterOpenQuarantinesOnRead() throws IOException {
        try (Spool spool = Spool.open(options(dir), recorder)) {
            String id = store(spool, 1, "x").queueId();
            String other = store(spool, 1, "y").queueId();
            Files.write(queueFile(dir, id), "garbage".getBytes(StandardCharsets.US_ASCII));
            Files.write(queueFile(dir, other), "POSTERN-SPOOL 1\ncontent-".getBytes(StandardCharsets.US_ASCII));

            assertThatThrownBy(() -> spool.read(id)).isInstanceOf(QuarantineException.class)
                    .hasMessage("bad version marker (not a Postern spool file)");
            assertThatThrownBy(() -> spool.markRecipient(other, 0, RecipientState.DELIVERED))
                    .isInstanceOf(QuarantineException.class).hasMessage("truncated in header");
            assertThat(spool.quarantinedCount()).isEqualTo(2);
            assertThat(spool.queueIds()).isEmpty();
        }
    }

    @Test
    void misnamedAndForeignFilesAreQuarantinedUnderTheirOwnNames() throws IOException {
        String id;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            id = store(spool, 1, "x").queueId();
        }
        Files.move(queueFile(dir, id), queueFile(dir, "RENAMED"));
        Files.writeString(dir.resolve("queue").resolve("notes.txt"), "hello");
        Files.writeString(dir.resolve("quarantine").resolve("RENAMED"), "an earlier one");
        try (Spool reopened = Spool.open(options(dir), recorder)) {
            assertThat(reopened.recovered()).isEmpty();
            assertThat(reasons()).containsEntry("RENAMED.1", "queue id " + id + " in the header does not match the file name")
                    .containsEntry("notes.txt", "file name is not a queue id");
            assertThat(Files.readString(dir.resolve("quarantine").resolve("RENAMED"))).isEqualTo("an earlier one");
        }
    }

    private Map<String, String> reasons() {
        Map<String, String> byName = new LinkedHashMap<>();
        events.forEach(e -> byName.put(e.file().getFileName().toString(), e.reason()));
        return byName;
    }

    private void replace(String queueId, String from, String to) throws IOException {
        Path file = queueFile(dir, queueId);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), to), StandardCharsets.ISO_8859_1);
    }

    static int headerLength(byte[] file) {
        return SpoolHeader.length(file, file.length);
    }
}
