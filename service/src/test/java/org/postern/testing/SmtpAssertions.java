package org.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.postern.smtp.Envelope;
import org.postern.testing.SmtpTestClient.Reply;

/** Assertions shared by the end-to-end scenarios. */
public final class SmtpAssertions {
    private SmtpAssertions() {
    }

    /**
     * Asserts a reply's code and its enhanced status code (RFC 3463).
     *
     * @param enhanced the expected enhanced status code, or null when the reply must carry none
     */
    public static void assertReply(Reply reply, int code, String enhanced) {
        assertThat(reply.code()).as("code of reply <%s>", reply).isEqualTo(code);
        assertThat(reply.enhanced()).as("enhanced status code of reply <%s>", reply).isEqualTo(enhanced);
    }

    /** The recipients of an envelope as plain addresses, in RCPT order. */
    public static List<String> recipients(Envelope envelope) {
        return envelope.recipients().stream().map(r -> r.address().toString()).toList();
    }
}
