package org.postern.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.spool.SpoolFixtures.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/** What goes into the spool comes back out, field for field and byte for byte. */
class SpoolRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyEnvelopeFieldAndBinaryContentRoundTrip() throws IOException {
        byte[] content = binaryContent();
        Envelope envelope;
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            envelope = fullEnvelope(spool.newQueueId());
            SpooledMessage committed = store(spool, envelope, content);

            assertThat(committed.envelope()).isEqualTo(envelope);
            assertThat(committed.states()).containsOnly(RecipientState.PENDING).hasSize(4);
            assertThat(committed.contentLength()).isEqualTo(content.length);
            assertThat(spool.read(envelope.queueId())).isEqualTo(committed);
            assertThat(content(spool, envelope.queueId())).isEqualTo(content);
        }
        try (Spool reopened = Spool.open(options(dir), SpoolEvents.NONE)) {
            assertThat(reopened.recovered()).singleElement().satisfies(m -> {
                assertThat(m.envelope()).isEqualTo(envelope);
                assertThat(m.envelope().recipients().get(0).address().localPart()).isEqualTo("\"john doe@home\"");
                assertThat(m.contentLength()).isEqualTo(content.length);
            });
            assertThat(content(reopened, envelope.queueId())).isEqualTo(content);
            assertThat(reopened.quarantinedCount()).isZero();
        }
    }

    @Test
    void nullAndEmptyFieldsStayDistinct() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            Envelope nulls = new Envelope(spool.newQueueId(), Instant.EPOCH, MailAddress.NULL_SENDER,
                    List.of(Recipient.of(new MailAddress("local", null))), BodyType.SEVEN_BIT, false,
                    null, null, null, null, null, null, null, null);
            Envelope empties = new Envelope(spool.newQueueId(), Instant.EPOCH, new MailAddress("", ""),
                    List.of(new Recipient(new MailAddress("x", ""), Set.of(), "")), BodyType.SEVEN_BIT, false,
                    null, "", "", "", "", "", "", "");
            store(spool, nulls, new byte[0]);
            store(spool, empties, new byte[0]);

            assertThat(spool.read(nulls.queueId()).envelope()).isEqualTo(nulls);
            assertThat(spool.read(empties.queueId()).envelope()).isEqualTo(empties);
            assertThat(spool.read(nulls.queueId()).envelope().sender().isNullSender()).isTrue();
            assertThat(content(spool, nulls.queueId())).isEmpty();
        }
    }

    @Test
    void headerIsReadableAscii() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            Envelope envelope = fullEnvelope(spool.newQueueId());
            store(spool, envelope, "Subject: hi\r\n\r\nbody\r\n".getBytes());
            String file = Files.readString(queueFile(dir, envelope.queueId()), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertThat(file).startsWith("POSTERN-SPOOL 1\ncontent-length 0000000000000000021\nqueue-id " + envelope.queueId() + "\n");
            assertThat(file).contains("\nsender <\"sender%20with%20spaces\\\"%20and%20%40\"@%E4%BE%8B%E3%81%88.%E3%83%86%E3%82%B9%E3%83%88>\n");
            assertThat(file).contains("\nrcpt 0 <\"john%20doe%40home\"@example.com> notify=SUCCESS,FAILURE,DELAY orcpt=rfc822;john+doe%40example.com\n");
            assertThat(file).contains("\nrcpt 2 <postmaster> notify=\n");
            assertThat(file).contains("\nenvid QQ+2B314159%0D%0AX\n");
            assertThat(file).contains("\n\nSubject: hi\r\n\r\nbody\r\nPOSTERN-END content-length=0000000000000000021 content-crc32c=");
        }
    }

    @Test
    void largeContentStreamsToDiskWithoutBeingHeldInHeap() throws Exception {
        long size = 50L << 20;
        byte[] chunk = new byte[64 * 1024];
        CRC32C written = new CRC32C();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = spool.newQueueId();
            SpooledMessage committed;
            try (SpoolWriter writer = spool.create(envelope(id, 1))) {
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                OutputStream out = writer.content();
                long seed = 42;
                for (long done = 0; done < size; done += chunk.length) {
                    for (int i = 0; i < chunk.length; i += 8) { // cheap pseudo-random bytes, refilled in place
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        for (int b = 0; b < 8; b++) {
                            chunk[i + b] = (byte) (seed >>> (8 * b));
                        }
                    }
                    out.write(chunk);
                    written.update(chunk);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                // The bytes are on disk already, and the writer allocated a small fraction of them.
                assertThat(Files.size(dir.resolve("tmp").resolve(id))).isGreaterThan(size - chunk.length);
                assertThat(allocated).isLessThan(4L << 20);
                committed = writer.commit();
            }
            assertThat(committed.contentLength()).isEqualTo(size);
            assertThat(spool.read(id).contentLength()).isEqualTo(size);

            CRC32C read = new CRC32C();
            long count = 0;
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            try (InputStream in = spool.openContent(id)) {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    read.update(chunk, 0, n);
                    count += n;
                }
            }
            assertThat(threads.getCurrentThreadAllocatedBytes() - allocatedBefore).isLessThan(4L << 20);
            assertThat(count).isEqualTo(size);
            assertThat(read.getValue()).isEqualTo(written.getValue());
        }
    }

    @Test
    void singleByteWritesAndReadsWork() throws IOException {
        byte[] content = binaryContent();
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            String id = spool.newQueueId();
            try (SpoolWriter writer = spool.create(envelope(id, 1))) {
                for (byte b : content) {
                    writer.content().write(b);
                }
                writer.commit();
            }
            try (InputStream in = spool.openContent(id)) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    out.write(b);
                }
                assertThat(out.toByteArray()).isEqualTo(content);
            }
        }
    }

    @Test
    void aStringThatIsNotUnicodeIsRefusedAtCreate() throws IOException {
        try (Spool spool = Spool.open(options(dir), SpoolEvents.NONE)) {
            Envelope e = envelope(spool.newQueueId(), 1);
            Envelope broken = new Envelope(e.queueId(), e.arrival(), e.sender(), e.recipients(), e.body(), false, null,
                    null, e.clientAddress(), null, "bad \uD800 surrogate", null, "ESMTP", "MTA");
            assertThatThrownBy(() -> spool.create(broken)).isInstanceOf(IOException.class);
            assertEmpty(dir.resolve("tmp"));
        }
    }
}
