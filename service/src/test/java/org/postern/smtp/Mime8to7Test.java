package org.postern.smtp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 8-bit to 7-bit downgrade (RFC 6152 §3): every output is 7-bit, and Jakarta Mail decodes each
 * converted part back to the octets that went in.
 */
class Mime8to7Test {

    private static final Session SESSION = Session.getInstance(new Properties());

    @TempDir
    Path temp;

    private byte[] convert(byte[] message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mime8to7.convert(new ByteArrayInputStream(message), out, temp);
        return out.toByteArray();
    }

    private static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(UTF_8);
    }

    private static MimeMessage parse(byte[] message) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(message));
    }

    private static byte[] decoded(jakarta.mail.Part part) throws IOException, MessagingException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** 7-bit octets only, and no line longer than RFC 5322's 998. */
    private static void assertSevenBit(byte[] out) {
        int lineLength = 0;
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i] & 0xFF).as("octet %d", i).isLessThan(128);
            if (out[i] == '\n') {
                lineLength = 0;
            } else {
                lineLength++;
                assertThat(lineLength).as("line length at %d", i).isLessThanOrEqualTo(998);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void sevenBitMessageComesOutByteForByte() throws Exception {
        byte[] in = crlf("""
                From: a@example.com
                To: b@example.org
                Subject: plain
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                preamble
                --b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Gr=C3=BC=C3=9Fe
                --b1
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: base64

                AAECAwQFBgcICQ==
                --b1
                Content-Type: text/plain

                just ascii
                --b1--
                epilogue
                """);
        assertThat(convert(in)).isEqualTo(in);
        byte[] noMime = "Subject: x\r\n\r\nline one\r\nlast line without CRLF".getBytes(UTF_8);
        assertThat(convert(noMime)).isEqualTo(noMime);
        byte[] headersOnly = "Subject: x\r\nX-Last: no line end".getBytes(UTF_8);
        assertThat(convert(headersOnly)).isEqualTo(headersOnly);
    }

    @Test
    void plainEightBitMessageBecomesQuotedPrintableUtf8() throws Exception {
        String body = "Grüße aus Köln — 10 €\nZweite Zeile mit Leerzeichen am Ende   \n.Punkt am Anfang\n";
        byte[] in = crlf("From: a@example.com\nTo: b@example.org\nSubject: Grüße\n\n" + body);
        byte[] out = convert(in);

        assertSevenBit(out);
        String text = new String(out, UTF_8);
        assertThat(text).contains("MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=utf-8\r\n",
                "Content-Transfer-Encoding: quoted-printable\r\n", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n");
        assertThat(text).contains("Ende  =20\r\n");
        MimeMessage m = parse(out);
        assertThat(m.getSubject()).isEqualTo("Grüße");
        assertThat(m.getContent()).isEqualTo(body.replace("\n", "\r\n"));
    }

    @Test
    void nonUtf8BodyIsLabelledUnknown8bit() throws Exception {
        byte[] body = "Caf\u00e9 cr\u00e8me\r\n".getBytes(ISO_8859_1);
        byte[] out = convert(concat("Subject: menu\r\n\r\n".getBytes(UTF_8), body));

        assertSevenBit(out);
        assertThat(new String(out, UTF_8)).contains("charset=unknown-8bit");
        assertThat(decoded(parse(out))).isEqualTo(body);
    }

    @Test
    void nestedMultipartEncodesTextAsQuotedPrintableAndBinaryAsBase64() throws Exception {
        String plain = "Hallo Jürgen,\nanbei die Übersicht.\n";
        String html = "<p>Hallo J\u00fcrgen, anbei die \u00dcbersicht.</p>\n";
        byte[] attachment = new byte[3000];
        new Random(42).nextBytes(attachment);
        byte[] in = concat(crlf("""
                From: a@example.com
                Subject: report
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: multipart/alternative; boundary=inner

                --inner
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                """ + plain + """
                --inner
                Content-Type: text/html; charset=utf-8

                """ + html + """
                --inner--

                --outer
                Content-Type: application/pdf; name=report.pdf
                Content-Transfer-Encoding: binary
                Content-Disposition: attachment; filename=report.pdf

                """), attachment, crlf("\n--outer--\n"));
        byte[] out = convert(in);

        assertSevenBit(out);
        String text = new String(out, UTF_8);
        assertThat(text).doesNotContain("Content-Transfer-Encoding: 8bit", "Content-Transfer-Encoding: binary");
        MimeMultipart mixed = (MimeMultipart) parse(out).getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        BodyPart plainPart = alternative.getBodyPart(0);
        BodyPart htmlPart = alternative.getBodyPart(1);
        assertThat(plainPart.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(htmlPart.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(plainPart.getContent()).isEqualTo(plain.replace("\n", "\r\n").stripTrailing());
        assertThat(htmlPart.getContent()).isEqualTo(html.stripTrailing());
        BodyPart pdf = mixed.getBodyPart(1);
        assertThat(pdf.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(pdf.getFileName()).isEqualTo("report.pdf");
        assertThat(decoded(pdf)).isEqualTo(attachment);
    }

    @Test
    void alreadyEncodedPartsPassThroughUnchanged() throws Exception {
        String qpPart = """
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                caf=E9 with a soft=
                 break
                """;
        String b64Part = """
                Content-Type: image/png
                Content-Transfer-Encoding: base64

                iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
                """;
        byte[] in = crlf("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=xyz\n\n--xyz\n" + qpPart
                + "--xyz\n" + b64Part + "--xyz\nContent-Type: text/plain; charset=utf-8\n"
                + "Content-Transfer-Encoding: 8bit\n\nnaïve\n--xyz--\n");
        byte[] out = convert(in);

        assertSevenBit(out);
        String text = new String(out, UTF_8);
        assertThat(text).contains(new String(crlf("--xyz\n" + qpPart + "--xyz\n" + b64Part + "--xyz\n"), UTF_8));
        MimeMultipart mp = (MimeMultipart) parse(out).getContent();
        assertThat(mp.getBodyPart(2).getContent()).isEqualTo("naïve");
    }

    @Test
    void declaredEightBitPartWithAsciiContentIsRelabelled() throws Exception {
        byte[] in = crlf("MIME-Version: 1.0\nContent-Type: text/plain\n"
                + "Content-Transfer-Encoding: 8bit\n\nascii only\n");
        byte[] out = convert(in);
        assertThat(new String(out, UTF_8)).isEqualTo(new String(in, UTF_8)
                .replace("Content-Transfer-Encoding: 8bit", "Content-Transfer-Encoding: 7bit"));
    }

    @Test
    void messageRfc822PartIsConvertedInsideNotEncoded() throws Exception {
        String inner = "Das ist die weitergeleitete Nachricht: ½ Stück\n";
        byte[] in = crlf("""
                From: a@example.com
                Subject: Fwd: Bestellung
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="fwd"

                --fwd
                Content-Type: text/plain; charset=us-ascii

                See below.
                --fwd
                Content-Type: message/rfc822
                Content-Transfer-Encoding: 8bit

                From: c@example.net
                Subject: Bestellung für Müller
                Date: Mon, 1 Jan 2024 10:00:00 +0000

                """ + inner + """
                --fwd--
                """);
        byte[] out = convert(in);

        assertSevenBit(out);
        MimeMultipart mp = (MimeMultipart) parse(out).getContent();
        BodyPart forwarded = mp.getBodyPart(1);
        assertThat(forwarded.getContentType()).startsWith("message/rfc822");
        assertThat(forwarded.getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
        MimeMessage embedded = (MimeMessage) forwarded.getContent();
        assertThat(embedded.getSubject()).isEqualTo("Bestellung für Müller");
        assertThat(embedded.getHeader("MIME-Version")).containsExactly("1.0");
        assertThat(embedded.getContentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(embedded.getContent()).isEqualTo(inner.replace("\n", "\r\n").stripTrailing());
    }

    @Test
    void lastLineWithoutCrlfIsKept() throws Exception {
        byte[] in = "Subject: x\r\n\r\nerste Zeile\r\nletzte Zeile ohne Ende: é".getBytes(UTF_8);
        byte[] out = convert(in);

        assertSevenBit(out);
        assertThat(out[out.length - 1]).isNotEqualTo((byte) '\n');
        assertThat(parse(out).getContent()).isEqualTo("erste Zeile\r\nletzte Zeile ohne Ende: é");

        byte[] mimeIn = concat(crlf("MIME-Version: 1.0\nContent-Type: application/octet-stream\n\n"),
                new byte[] {1, (byte) 0xFF, '\r', '\n', (byte) 0x80});
        assertThat(decoded(parse(convert(mimeIn)))).containsExactly(1, 0xFF, '\r', '\n', 0x80);
    }

    @Test
    void longLinesGetSoftBreaks() throws Exception {
        String shortish = "ä".repeat(600);                  // 1200 octets: over 998 in 8-bit form
        String huge = "x".repeat(20_000) + "ü" + "y =".repeat(3000); // spans several read chunks
        String body = shortish + "\n" + huge + "\n";
        byte[] out = convert(crlf("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                + "Content-Transfer-Encoding: 8bit\n\n" + body));

        assertSevenBit(out);
        int bodyStart = new String(out, UTF_8).indexOf("\r\n\r\n") + 4;
        for (String line : new String(out, bodyStart, out.length - bodyStart, UTF_8).split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
        }
        assertThat(parse(out).getContent()).isEqualTo(body.replace("\n", "\r\n"));
    }

    @Test
    void unstructuredHeadersAreRfc2047EncodedAndFolded() throws Exception {
        String subject = "Re: Besprechung zum Thema Überstunden und Urlaubsplanung für das Jahr 2025 — bitte lesen";
        byte[] in = crlf("From: Jörg <j@example.com>\nSubject: " + subject + "\nX-Note: ça va\n\nascii body\n");
        byte[] out = convert(in);

        String text = new String(out, ISO_8859_1);
        assertThat(text).startsWith("From: Jörg".replace("ö", new String("ö".getBytes(UTF_8), ISO_8859_1)));
        assertThat(text).contains("Subject: Re: Besprechung zum Thema =?UTF-8?Q?=C3=9Cberstunden");
        MimeMessage m = parse(out);
        assertThat(m.getSubject()).isEqualTo(subject);
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(m.getHeader("X-Note", null))).isEqualTo("ça va");
        String headerBlock = text.substring(text.indexOf("Subject:"), text.indexOf("\r\n\r\n"));
        for (String line : headerBlock.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
        }
        assertThat(m.getContent()).isEqualTo("ascii body\r\n");
    }

    @Test
    void largeSevenBitPartSpillsToDiskAndTheFileIsRemoved() throws Exception {
        byte[] big = crlf("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n".repeat(30_000));
        byte[] in = concat(crlf("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
                + "Content-Type: text/csv\n\n"), big,
                crlf("--q\nContent-Type: text/plain; charset=utf-8\n\nÄ\n--q--\n"));
        byte[] out = convert(in);

        assertSevenBit(out);
        assertThat(new String(out, UTF_8)).contains(new String(big, UTF_8));
        try (var files = Files.list(temp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void streamViewGivesTheSameBytes() throws Exception {
        byte[] in = crlf("Subject: ü\n\n" + "Zeile mit Ümlaut\n".repeat(10_000));
        byte[] expected = convert(in);
        try (InputStream view = Mime8to7.converting(new ByteArrayInputStream(in), temp)) {
            assertThat(view.readAllBytes()).isEqualTo(expected);
        }
        try (var files = Files.list(temp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void digestPartsDefaultToMessageRfc822AndBoundaryWhitespaceIsTolerated() throws Exception {
        byte[] in = crlf("MIME-Version: 1.0\nContent-Type: multipart/digest; boundary=\"d d\"\n\n--d d  \n\n"
                + "Subject: eins\n\nö\n--d d--\t\n");
        byte[] out = convert(in);

        assertSevenBit(out);
        MimeMultipart digest = (MimeMultipart) parse(out).getContent();
        // Jakarta Mail ignores the digest default, so the embedded message is read from the part's body.
        MimeMessage first = new MimeMessage(SESSION, digest.getBodyPart(0).getInputStream());
        assertThat(first.getSubject()).isEqualTo("eins");
        assertThat(first.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(first.getContent()).isEqualTo("ö");
    }

    @Test
    void excessiveNestingIsAPermanentFailure() {
        StringBuilder b = new StringBuilder("MIME-Version: 1.0\n");
        for (int i = 0; i < 150; i++) {
            b.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        b.append("\nä\n");
        assertThatThrownBy(() -> convert(crlf(b.toString()))).isInstanceOf(Mime8to7Exception.class);
    }

    /** Builds random well-formed MIME trees and records each leaf's content in document order. */
    private static final class RandomMessage {
        private final Random random;
        final List<byte[]> leaves = new ArrayList<>();
        private int boundaries;

        RandomMessage(Random random) {
            this.random = random;
        }

        byte[] message() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(crlf("From: a@example.com\nSubject: t\u00e9st\nMIME-Version: 1.0\n"));
            multipart(b, 0);
            return b.toByteArray();
        }

        private void multipart(ByteArrayOutputStream b, int depth) {
            String boundary = "b" + (boundaries++) + "-" + random.nextInt(1000);
            b.writeBytes(crlf("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\npreamble\n"));
            int parts = 1 + random.nextInt(3);
            for (int i = 0; i < parts; i++) {
                b.writeBytes(crlf("--" + boundary + "\n"));
                int kind = random.nextInt(depth < 3 ? 5 : 3);
                switch (kind) {
                    case 0 -> leaf(b, "text/plain; charset=utf-8", text(), new String[] {null, "8bit", "7bit"});
                    case 1 -> leaf(b, "application/octet-stream", binary(), new String[] {null, "binary", "8bit"});
                    case 2 -> leaf(b, "text/html; charset=utf-8", text(), new String[] {"8bit"});
                    case 3 -> {
                        b.writeBytes(crlf("Content-Type: message/rfc822\n\nSubject: inner\n\n"));
                        byte[] body = text();
                        b.writeBytes(body);
                        leaves.add(body);
                        b.writeBytes(crlf("\n"));
                    }
                    default -> multipart(b, depth + 1);
                }
            }
            b.writeBytes(crlf("--" + boundary + "--\n"));
        }

        private void leaf(ByteArrayOutputStream b, String type, byte[] content, String[] encodings) {
            String cte = encodings[random.nextInt(encodings.length)];
            String cteField = cte == null ? "" : "Content-Transfer-Encoding: " + cte + "\n";
            b.writeBytes(crlf("Content-Type: " + type + "\n" + cteField + "\n"));
            b.writeBytes(content);
            b.writeBytes(crlf("\n"));
            leaves.add(content);
        }

        /** CRLF-separated lines with umlauts, symbols, "=", tabs and trailing spaces; no final line end. */
        private byte[] text() {
            String alphabet = "abcdefghij ABC=.\t\u00e4\u00f6\u00fc\u20ac-_?";
            StringBuilder s = new StringBuilder();
            int lines = 1 + random.nextInt(6);
            for (int l = 0; l < lines; l++) {
                int length = random.nextInt(random.nextInt(10) == 0 ? 2000 : 120);
                s.append("x");
                for (int i = 0; i < length; i++) {
                    s.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                if (l + 1 < lines) {
                    s.append("\r\n");
                }
            }
            return s.toString().getBytes(UTF_8);
        }

        private byte[] binary() {
            byte[] data = new byte[1 + random.nextInt(5000)];
            random.nextBytes(data);
            return data;
        }
    }

    private static void collectLeaves(jakarta.mail.Part part, List<byte[]> into) throws Exception {
        Object content = part.getContent();
        if (content instanceof MimeMultipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                collectLeaves(mp.getBodyPart(i), into);
            }
        } else if (content instanceof MimeMessage embedded) {
            into.add(decoded(embedded));
        } else {
            into.add(decoded(part));
        }
    }

    @Test
    void randomMimeTreesComeOutSevenBitAndDecodeToTheirOriginalContent() throws Exception {
        Random random = new Random(20250301);
        for (int round = 0; round < 300; round++) {
            RandomMessage generator = new RandomMessage(random);
            byte[] in = generator.message();
            byte[] out = convert(in);

            assertSevenBit(out);
            MimeMessage m = parse(out);
            assertThat(m.getSubject()).isEqualTo("t\u00e9st");
            List<byte[]> leaves = new ArrayList<>();
            collectLeaves(m, leaves);
            assertThat(leaves).as("round %d", round).hasSameSizeAs(generator.leaves);
            for (int i = 0; i < leaves.size(); i++) {
                assertThat(leaves.get(i)).as("round %d leaf %d", round, i).isEqualTo(generator.leaves.get(i));
            }
        }
    }
}
