package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.header.HeaderEditor;
import org.postern.header.HeaderRules;
import org.postern.macro.MacroValues;
import org.postern.macro.Macros;
import org.postern.macro.StandardMacros;
import org.postern.mailer.MailerDefinition;
import org.postern.routing.Route;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.smtp.client.OutboundContent;

/** The macros of a delivery, and the edited content the SMTP client sends. */
class OutboundHeadersTest {

    static final MailerDefinition ESMTP = MailerDefinition.builder("esmtp").flags("mDFMuXa").build();

    static Envelope envelope(String listener) {
        return new Envelope("1K0R9V0R788003WRAGYM", Instant.parse("2025-06-02T10:05:30Z"),
                new MailAddress("ann", "example.com"),
                List.of(new Recipient(new MailAddress("b", "example.net"), Set.of(DsnNotify.SUCCESS), null),
                        Recipient.of(new MailAddress("c", "example.net"))),
                BodyType.SEVEN_BIT, false, null, null, listener == null ? null : "192.0.2.1", null,
                listener == null ? null : "helo.test", null, listener == null ? null : "ESMTP", listener);
    }

    static OutboundHeaders headers() {
        HeaderRules rules = HeaderRules.defaults("relay.test");
        Map<String, Macros> listeners = Map.of("MSA", StandardMacros.daemon(Macros.builder(), "MSA", null,
                AddressFamily.INET, 587, "Ea").build());
        return new OutboundHeaders(rules.editor(), rules.configMacros(), listeners, ZoneOffset.UTC);
    }

    @Test
    void macrosOfADelivery() {
        QueuedMessage message = QueuedMessage.fresh(envelope("MSA"), 1234);
        Destination destination = Destination.of(ESMTP, new Route.Relay("esmtp", "smtp.example.net", 0, true), "example.net");
        PooledSession session = new PooledSession(null, "mx1.example.net", "hA", "192.0.2.99", null);
        MacroValues m = headers().macros(message, destination, List.of(0), session);
        assertThat(m.get("h")).isEqualTo("smtp.example.net");
        assertThat(m.get("u")).isEqualTo("b@example.net");
        assertThat(m.get("rcpt_addr")).isEqualTo("b@example.net");
        assertThat(m.get("dsn_notify")).isEqualTo("success");
        assertThat(m.get("rcpt_mailer")).isEqualTo("esmtp");
        assertThat(m.get("client_flags")).isEqualTo("h AA");
        assertThat(m.get("server_name")).isEqualTo("mx1.example.net");
        assertThat(m.get("server_addr")).isEqualTo("192.0.2.99");
        assertThat(m.get("ntries")).isEqualTo("1");
        assertThat(m.get("msg_size")).isEqualTo("1234");
        assertThat(m.get("daemon_name")).isEqualTo("MSA");
        assertThat(m.get("daemon_flags")).isEqualTo("EE a");
        assertThat(m.get("daemon_port")).isEqualTo("587");
        assertThat(m.get("j")).isEqualTo("relay.test");
        assertThat(m.get("i")).isEqualTo("1K0R9V0R788003WRAGYM");
        // Dates are the arrival's, so every copy of the message gets the same Date: and Message-Id:.
        assertThat(m.get("b")).isEqualTo("Mon, 2 Jun 2025 10:05:30 +0000");
        assertThat(m.get("a")).isEqualTo(m.get("b"));
        assertThat(m.get("t")).isEqualTo("202506021005");
        // Several recipients in one transaction: no $u.
        assertThat(headers().macros(message, destination, List.of(0, 1), session).get("u")).isNull();
        Destination byMx = Destination.of(ESMTP, new Route.Relay("esmtp", null, 0, true), "Example.NET");
        assertThat(headers().macros(message, byMx, List.of(0), session).get("h")).isEqualTo("example.net");
    }

    @Test
    void aMessagePosternMadeItselfHasNoListener() {
        QueuedMessage dsn = QueuedMessage.fresh(envelope(null), 10);
        Destination destination = Destination.of(ESMTP, new Route.Relay("esmtp", "smtp.example.net", 0, true), null);
        MacroValues m = headers().macros(dsn, destination, List.of(0), null);
        assertThat(m.get("daemon_name")).isNull();
        assertThat(m.get("client_addr")).isNull();
        assertThat(m.get("client_flags")).isNull();
    }

    @Test
    void editedContentReplacesTheHeaderBlockAndKeepsTheBody() throws IOException {
        byte[] stored = "Received: x\r\nSubject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        OutboundContent spooled = new OutboundContent() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(stored);
            }

            @Override
            public InputStream openSevenBit() {
                return new ByteArrayInputStream(stored);
            }
        };
        HeaderEditor.Edit edit = new HeaderEditor.Edit("Received: x\r\nDate: d\r\nSubject: s\r\n".getBytes(
                StandardCharsets.US_ASCII), 25);
        EditedContent content = new EditedContent(spooled, edit);
        assertThat(new String(content.open().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("Received: x\r\nDate: d\r\nSubject: s\r\n\r\nbody\r\n");
        assertThat(new String(content.openSevenBit().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("Received: x\r\nDate: d\r\nSubject: s\r\n\r\nbody\r\n");
    }
}
