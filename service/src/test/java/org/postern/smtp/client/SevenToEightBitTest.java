package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postern.smtp.client.ClientTestSupport.TextContent;

/** Flag 9: a quoted-printable text/plain message decoded to 8bit, and what is left as it is. */
class SevenToEightBitTest {

    private static String convert(String message, int lineLimit) throws IOException {
        TextContent content = new TextContent(message, "unused");
        SevenToEightBit.Plan plan = SevenToEightBit.check(content, lineLimit);
        if (plan == null) {
            return null;
        }
        try (InputStream in = SevenToEightBit.open(content, plan)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void quotedPrintableTextIsDecodedAndRelabelled() throws IOException {
        String in = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 cr=C3=A8me  \r\n"
                + "a soft=\r\n break, =3D sign\r\n";
        assertThat(convert(in, 0)).isEqualTo("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;"
                + " charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCafé crème\r\na soft break, = sign\r\n");
    }

    @Test
    void foldedHeadersAndCommentsAreUnderstood() throws IOException {
        String in = "Content-Type: Text/Plain;\r\n\tcharset=iso-8859-1\r\nContent-Transfer-Encoding:\r\n"
                + " Quoted-Printable (encoded)\r\n\r\nx=E9\r\n";
        assertThat(convert(in, 0)).isEqualTo("Content-Type: Text/Plain;\r\n\tcharset=iso-8859-1\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nx\u00e9\r\n".replace("\u00e9", "\ufffd"));
    }

    @Test
    void otherEntitiesAreLeftAsTheyAre() throws IOException {
        assertThat(convert("Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E9\r\n", 0))
                .isNull();
        assertThat(convert("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nqQ==\r\n", 0))
                .isNull();
        assertThat(convert("Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding:"
                + " quoted-printable\r\n\r\n--b\r\n", 0)).isNull();
        assertThat(convert("Subject: no MIME\r\n\r\n=E9\r\n", 0)).isNull();
    }

    @Test
    void bodiesThatWouldNotBeValid8bitAreLeftAsTheyAre() throws IOException {
        String head = "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
        assertThat(convert(head + "a=00b\r\n", 0)).as("NUL").isNull();
        assertThat(convert(head + "a=0Db\r\n", 0)).as("bare CR").isNull();
        assertThat(convert(head + "a=0Ab\r\n", 0)).as("bare LF").isNull();
        assertThat(convert(head + "a=0D=0Ab\r\n", 0)).as("CRLF is a line end").isEqualTo(
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\na\r\nb\r\n");
        String longLine = ("x".repeat(70) + "=\r\n").repeat(15) + "\r\n"; // 1050 octets once joined
        assertThat(convert(head + longLine, 0)).as("longer than 998").isNull();
        String medium = ("x".repeat(70) + "=\r\n").repeat(5) + "\r\n"; // 350 octets
        assertThat(convert(head + medium, 0)).isNotNull();
        assertThat(convert(head + medium, 300)).as("longer than L=").isNull();
    }
}
