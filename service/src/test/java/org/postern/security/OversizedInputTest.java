package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.TestMailReceiver;
import org.springframework.test.context.TestPropertySource;

/**
 * Oversized and malformed input, each with a clear reply and enhanced status code, never a hang and
 * never a silent disconnect, and the session (or a new one) still usable: overlong command and
 * message lines (held in bounded memory: the live heap does not grow while a 200 MB line arrives),
 * a 10 MB header block and a 1 MB header field (header checks are configured, so the header block
 * is captured for them: bounded too), thousands of recipients, NUL octets in commands and content,
 * and invalid UTF-8 in commands (with and without SMTPUTF8) and in header fields.
 */
@TestPropertySource(properties = {
        "postern.limits.max-recipients=1000",
        "postern.headers[0]=HX-Hostile: $>CheckHostile",
        "postern.header-checks.CheckHostile[0].regex=reject me",
        "postern.header-checks.CheckHostile[0].text=Hostile header refused",
})
class OversizedInputTest extends HostileInputBase {

    private static final int MB = 1024 * 1024;

    // --- overlong lines -----------------------------------------------------------------------

    @Test
    void aCommandLineOfHundredsOfMegabytesIsRefusedInBoundedMemory() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            long before = liveHeap();
            client.send("MAIL FROM:<");
            sendFiller(client, 200 * MB, (byte) 'a');
            // The server is now inside the line: whatever it keeps of it is live right now.
            long growth = liveHeap() - before;
            client.send("@example.com>\r\n");
            assertReply(client.read(), 500, "5.5.2");
            assertThat(growth).as("live heap held while inside a 200 MB command line").isLessThan(50L * MB);
            // Consumed to its end as one line, one error: the session is in step.
            assertReply(client.command("MAIL FROM:<ok@example.com>"), 250, "2.1.0");
        }
    }

    @Test
    void overlongVerbsAndArgumentsAreOneErrorEach() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            Reply tooLong = client.command("X".repeat(100_000));
            assertReply(tooLong, 500, "5.5.2");
            assertThat(tooLong.text()).contains("too long");
            assertReply(client.command("EHLO " + "h".repeat(5_000) + ".example"), 500, "5.5.2");
            assertReply(client.command("RCPT TO:<" + "r".repeat(3_000) + "@example.net>"), 500, "5.5.2");
            // Inside the line limit but past the address limits: a syntax error of the address.
            assertReply(client.command("MAIL FROM:<" + "l".repeat(65) + "@example.com>"), 501, "5.1.7");
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
    }

    @Test
    void anOverlongMessageLineFailsTheMessageAfterTheDot() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<longline@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: one long line\r\n\r\n");
            long before = liveHeap();
            sendFiller(client, 200 * MB, (byte) 'y');
            long growth = liveHeap() - before;
            client.send("\r\nmore\r\n.\r\n");
            Reply refused = client.read();
            assertReply(refused, 550, "5.6.0");
            assertThat(refused.text()).contains("too long");
            assertThat(growth).as("live heap held while inside a 200 MB message line").isLessThan(50L * MB);
            assertReply(client.command("NOOP"), 250, "2.0.0");

            // The same with BDAT: the chunk is read whole, the message refused.
            assertReply(client.command("MAIL FROM:<longline@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            byte[] chunk = ("Subject: long\r\n\r\n" + "z".repeat(MB) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            client.send("BDAT " + chunk.length + " LAST\r\n");
            client.send(chunk);
            assertReply(client.read(), 550, "5.6.0");
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
        assertNothingFrom("longline@example.com");
    }

    // --- huge header blocks ----------------------------------------------------------------------

    @Test
    void tenMegabytesOfHeaderFieldsAreRefusedAsTooLarge() throws Exception {
        StringBuilder headers = new StringBuilder(11 * MB);
        for (int i = 0; headers.length() < 10 * MB; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("f".repeat(90)).append("\r\n");
        }
        Reply reply = sendWithHeaders("hugeheaders@example.com", headers.toString());
        assertReply(reply, 552, "5.6.0");
        assertThat(reply.text()).contains("Headers too large");
        assertNothingFrom("hugeheaders@example.com");
    }

    @Test
    void aOneMegabyteHeaderFieldIsRefused() throws Exception {
        // On one line: past max-data-line-length (998).
        Reply oneLine = sendWithHeaders("bigfield@example.com", "X-Big: " + "b".repeat(MB) + "\r\n");
        assertReply(oneLine, 550, "5.6.0");
        // Folded into 998-octet lines: legal lines, but more header than the checks will hold.
        StringBuilder folded = new StringBuilder("X-Big: start\r\n");
        while (folded.length() < MB) {
            folded.append('\t').append("c".repeat(990)).append("\r\n");
        }
        Reply foldedReply = sendWithHeaders("bigfield@example.com", folded.toString());
        assertReply(foldedReply, 552, "5.6.0");
        assertNothingFrom("bigfield@example.com");
    }

    @Test
    void aLargeButBoundedHeaderBlockIsStillCheckedAndRelayed() throws Exception {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; headers.length() < 200 * 1024; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("g".repeat(90)).append("\r\n");
        }
        Reply refused = sendWithHeaders("checked@example.com", headers + "X-Hostile: please reject me\r\n");
        assertReply(refused, 550, "5.7.1");
        assertThat(refused.text()).contains("Hostile header refused");

        String marker = "bounded-" + UUID.randomUUID();
        Reply accepted = sendWithHeaders("bounded@example.com", headers + "X-Marker: " + marker + "\r\n");
        assertReply(accepted, 250, "2.0.0");
        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messages().stream()
                .anyMatch(m -> m.text().contains(marker)), "delivery of the 200 KB header block");
    }

    // --- thousands of recipients ----------------------------------------------------------------

    @Test
    void twoThousandRecipientsGet452PastTheLimitAndTheMessageGoesToTheFirstThousand() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            StringBuilder batch = new StringBuilder("MAIL FROM:<many@example.com>\r\n");
            for (int i = 0; i < 2000; i++) {
                batch.append("RCPT TO:<rcpt").append(i).append("@example.net>\r\n");
            }
            client.send(batch + "DATA\r\n");
            assertReply(client.read(), 250, "2.1.0");
            for (int i = 0; i < 2000; i++) {
                Reply r = client.read();
                if (i < 1000) {
                    assertReply(r, 250, "2.1.5");
                } else {
                    assertReply(r, 452, "4.5.3");
                }
            }
            assertReply(client.read(), 354, null);
            String marker = "many-" + UUID.randomUUID();
            client.send("Subject: " + marker + "\r\n\r\nto many\r\n.\r\n");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.command("NOOP"), 250, "2.0.0");
            // The relay mailer sends at most 100 recipients per transaction: ten messages arrive.
            TestMailReceiver.await(Duration.ofSeconds(60), () -> receiver.messages().stream()
                    .filter(m -> m.text().contains(marker)).mapToInt(m -> m.rcptTo().size()).sum() >= 1000,
                    "delivery to 1000 recipients");
            List<String> delivered = receiver.messages().stream().filter(x -> x.text().contains(marker))
                    .flatMap(x -> x.rcptTo().stream()).toList();
            assertThat(delivered).hasSize(1000).doesNotHaveDuplicates()
                    .contains("rcpt0@example.net", "rcpt999@example.net").doesNotContain("rcpt1000@example.net");
        }
    }

    @Test
    void recipientsFarPastTheLimitEndTheSessionWithTooManyErrors() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            StringBuilder batch = new StringBuilder("MAIL FROM:<flood@example.com>\r\n");
            for (int i = 0; i < 5000; i++) {
                batch.append("RCPT TO:<flood").append(i).append("@example.net>\r\n");
            }
            client.send(batch.toString());
            assertReply(client.read(), 250, "2.1.0");
            int accepted = 0;
            int deferred = 0;
            Reply r;
            while ((r = client.read()).code() != 421) {
                if (r.code() == 250) {
                    accepted++;
                } else {
                    assertReply(r, 452, "4.5.3");
                    deferred++;
                }
            }
            assertReply(r, 421, "4.7.0");
            assertThat(r.text()).contains("Too many errors");
            // 1000 accepted, 1000 overshoot free of errors, then max-errors (10) counted ones.
            assertThat(accepted).isEqualTo(1000);
            assertThat(deferred).isEqualTo(1010);
            client.readToEnd();
        }
        assertNothingFrom("flood@example.com");
    }

    // --- NUL octets --------------------------------------------------------------------------------

    @Test
    void nulInCommandsIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("\0"), 500, "5.5.2");
            assertReply(client.command("NO\0OP"), 500, "5.5.2");
            assertReply(client.command("EHLO client\0.test"), 500, "5.5.2");
            assertReply(client.command("MAIL FROM:<nul\0@example.com>"), 500, "5.5.2");
            assertReply(client.command("MAIL FROM:<nulcmd@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<victim\0@example.net>"), 500, "5.5.2");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("RSET"), 250, "2.0.0");
        }
    }

    @Test
    void nulInContentFailsTheMessageAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            Reply data = client.sendMessage("nuldata@example.com", List.of("r@example.net"),
                    "Subject: nul\0here\r\n\r\nbody\r\n");
            assertReply(data, 550, "5.6.0");
            assertThat(data.text()).contains("NUL");
            assertReply(client.command("MAIL FROM:<nuldata@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            byte[] chunk = "Subject: nul\r\n\r\nbody \0 in a chunk\r\n".getBytes(StandardCharsets.ISO_8859_1);
            client.send("BDAT " + chunk.length + " LAST\r\n");
            client.send(chunk);
            assertReply(client.read(), 550, "5.6.0");
            assertReply(client.command("NOOP"), 250, "2.0.0");
        }
        assertNothingFrom("nuldata@example.com");
    }

    // --- invalid UTF-8 -------------------------------------------------------------------------------

    @Test
    void invalidUtf8InCommandsIsRefusedWithOrWithoutSmtpUtf8() throws Exception {
        byte[][] invalid = {
            {(byte) 0xC3, (byte) 0x28},                  // a lead byte without its continuation
            {(byte) 0xC0, (byte) 0xAF},                  // an overlong encoding of '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // a UTF-16 surrogate
            {(byte) 0xFF, (byte) 0xFE},                  // never valid in UTF-8
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
        };
        for (byte[] bad : invalid) {
            try (SmtpTestClient client = connectEhlo()) {
                client.send(line("MAIL FROM:<a", bad, "@example.com>"));
                assertReply(client.read(), 500, "5.5.2");
                client.send(line("MAIL FROM:<a", bad, "@example.com> SMTPUTF8"));
                assertReply(client.read(), 500, "5.5.2");
                client.send(line("EHLO h", bad, ".example"));
                assertReply(client.read(), 500, "5.5.2");
                client.send(line("", bad, ""));
                assertReply(client.read(), 500, "5.5.2");
                assertReply(client.command("NOOP"), 250, "2.0.0");
            }
        }
        try (SmtpTestClient client = connectEhlo()) {
            // Valid UTF-8 without SMTPUTF8 is a different, clear refusal; with it, accepted.
            assertReply(client.command("MAIL FROM:<j\u00f6rg@example.com>"), 553, "5.6.7");
            assertReply(client.command("MAIL FROM:<j\u00f6rg@example.com> SMTPUTF8"), 250, "2.1.0");
            // Invalid UTF-8 in a RCPT of an SMTPUTF8 transaction: refused, the transaction intact.
            client.send(line("RCPT TO:<b", invalid[0], "@example.net>"));
            assertReply(client.read(), 500, "5.5.2");
            assertReply(client.command("RCPT TO:<b\u00e4r@example.net>"), 250, "2.1.5");
        }
    }

    @Test
    void invalidUtf8InHeaderFieldsIsRelayedUnchanged() throws Exception {
        String marker = "utf8-" + UUID.randomUUID();
        byte[] subject = line("Subject: ", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, ' ', (byte) 0xED,
            (byte) 0xA0, (byte) 0x80}, " " + marker);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(subject);
        content.write(line("X-Hostile: ", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80}, " not rejected"));
        content.write("\r\nbody\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<badutf8@example.com> BODY=8BITMIME"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<r@example.net>"), 250, "2.1.5");
            assertReply(client.command("DATA"), 354, null);
            client.send(content.toByteArray());
            assertReply(client.read(), 250, "2.0.0");
        }
        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messages().stream()
                .anyMatch(m -> m.text().contains(marker)), "delivery of the message with invalid UTF-8");
        TestMailReceiver.Message m = receiver.messages().stream().filter(x -> x.text().contains(marker))
                .findFirst().orElseThrow();
        assertThat(indexOf(m.data(), subject)).as("the header field, byte for byte").isNotNegative();
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** One message in its own session with {@code headers} as its header block; returns the final reply. */
    private Reply sendWithHeaders(String sender, String headers) throws IOException {
        try (SmtpTestClient client = connectEhlo()) {
            Reply reply = client.sendMessage(sender, List.of("r@example.net"), headers + "\r\nbody\r\n");
            assertReply(client.command("NOOP"), 250, "2.0.0"); // the session is in step after it
            return reply;
        }
    }

    /** Sends {@code size} octets of {@code fill} (no line ending) in 64 KB writes. */
    private static void sendFiller(SmtpTestClient client, int size, byte fill) throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, fill);
        for (int sent = 0; sent < size; sent += block.length) {
            client.send(block);
        }
    }

    /**
     * The heap in use after a full collection: what is live. Taken while the server is inside a
     * long line, it shows whatever the server keeps of that line (a server that buffered it would
     * hold all of it); garbage from anything else running does not count.
     */
    private static long liveHeap() throws InterruptedException {
        Thread.sleep(300); // let the server consume what is still in the socket buffers
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[] line(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
