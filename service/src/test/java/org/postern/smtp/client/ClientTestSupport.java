package org.postern.smtp.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.postern.smtp.AddressException;
import org.postern.smtp.BodyType;
import org.postern.smtp.MailAddress;

/** Messages, content and requests for the client tests. */
final class ClientTestSupport {
    private ClientTestSupport() {
    }

    static final SmtpTimeouts QUICK = SmtpTimeouts.uniform(Duration.ofSeconds(5));

    static MailAddress address(String mailbox) {
        try {
            return MailAddress.parseMailbox(mailbox, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ConnectRequest request(ScriptedSmtpPeer peer) {
        return ConnectRequest.to(peer.address(), "client.test");
    }

    /** Content that answers {@link OutboundContent#openSevenBit()} with different bytes, so a test sees which was used. */
    record TextContent(String text, String sevenBit) implements OutboundContent {
        @Override
        public InputStream open() {
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public InputStream openSevenBit() {
            return new ByteArrayInputStream(sevenBit.getBytes(StandardCharsets.UTF_8));
        }
    }

    static OutboundMessage message(String sender, String content, String... recipients) {
        return message(sender, BodyType.SEVEN_BIT, false, content, recipients);
    }

    static OutboundMessage message(String sender, BodyType body, boolean smtpUtf8, String content, String... recipients) {
        List<OutboundRecipient> rcpts = Arrays.stream(recipients).map(r -> OutboundRecipient.of(address(r))).toList();
        return new OutboundMessage(address(sender), rcpts, body, smtpUtf8, null, null,
                content.getBytes(StandardCharsets.UTF_8).length, new TextContent(content, "7bit:" + content));
    }

    /** Lazily generated content of {@code size} octets in 78-character lines: large without using memory. */
    static OutboundContent generated(long size) {
        return new OutboundContent() {
            @Override
            public InputStream open() {
                return new InputStream() {
                    long position;

                    @Override
                    public int read() {
                        if (position >= size) {
                            return -1;
                        }
                        int column = (int) (position++ % 80);
                        return column == 78 ? '\r' : column == 79 ? '\n' : 'x';
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (position >= size) {
                            return -1;
                        }
                        int n = 0;
                        while (n < len && position < size) {
                            b[off + n++] = (byte) read();
                        }
                        return n;
                    }
                };
            }

            @Override
            public InputStream openSevenBit() {
                return open();
            }
        };
    }
}
