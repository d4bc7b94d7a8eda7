package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.header.HeaderCapture;
import org.postern.routing.Route;
import org.postern.smtp.Envelope;
import org.postern.spool.Spool;
import org.postern.spool.SpoolEvents;
import org.postern.spool.SpoolOptions;
import org.postern.spool.SpoolWriter;

/**
 * The header block the SMTP session keeps for delivery edits headers exactly as reading it back from
 * the spool would: same header, same body, same size, however the block ends.
 */
class KeptHeaderBlockTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "Received: from x\r\nSubject: hi\r\n\r\nbody\r\n",                       // an empty line ends the block
        "Received: from x\r\nSubject: hi\r\n\tfolded\r\nnot a field\r\nbody\r\n", // so does a non-field line
        "Received: from x\r\nDate: Mon, 2 Jun 2025 10:05:30 +0000\r\nFrom: a@example.com\r\n"
                + "Message-Id: <1@x>\r\n\r\n.\r\n",                                 // nothing to add
        "Received: from x\r\n\r\n",                                               // no body
    })
    void editsAsTheSpoolFileWould(String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        try (Spool spool = Spool.open(new SpoolOptions(dir, Duration.ZERO), SpoolEvents.NONE)) {
            Envelope envelope = OutboundHeadersTest.envelope("MSA");
            HeaderCapture kept = new HeaderCapture(8192);
            try (SpoolWriter writer = spool.create(envelope)) {
                OutputStream out = kept.teeTo(writer.content());
                for (byte b : bytes) {
                    out.write(b); // byte by byte: the block's end is found however the content arrives
                }
                writer.commit();
            }
            assertThat(kept.completeBlock()).isNotNull();
            Destination destination = Destination.of(OutboundHeadersTest.ESMTP,
                    new Route.Relay("esmtp", "smtp.example.net", 0, true), "example.net");

            OutboundHeaders.Prepared fromSpool = OutboundHeadersTest.headers().prepare(spool,
                    QueuedMessage.fresh(envelope, bytes.length), destination, List.of(0), null);
            OutboundHeaders.Prepared fromKept = OutboundHeadersTest.headers().prepare(spool,
                    QueuedMessage.fresh(envelope, bytes.length, kept.completeBlock()), destination, List.of(0), null);

            assertThat(fromKept.size()).isEqualTo(fromSpool.size());
            assertThat(read(fromKept)).isEqualTo(read(fromSpool));
            if (!content.contains("Date:")) {
                assertThat(read(fromKept)).contains("\r\nDate: ").hasSizeGreaterThan(content.length());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void noBlockIsKeptUntilItEndsNorWhenItIsTooLarge() throws IOException {
        HeaderCapture open = new HeaderCapture(8192);
        open.write("Subject: still going\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(open.completeBlock()).isNull();
        open.write("\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(open.completeBlock(), StandardCharsets.US_ASCII)).isEqualTo("Subject: still going\r\n");

        HeaderCapture small = new HeaderCapture(16);
        small.write("Subject: longer than the limit\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(small.completeBlock()).isNull();
    }

    private static String read(OutboundHeaders.Prepared prepared) throws IOException {
        try (InputStream in = prepared.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
