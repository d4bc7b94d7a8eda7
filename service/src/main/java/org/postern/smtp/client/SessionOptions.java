package org.postern.smtp.client;

import java.time.Duration;
import java.util.Objects;
import org.postern.smtp.Mime8to7;

/**
 * How a session speaks to its next hop and writes message content, as the mailer says (sendmail's
 * {@code M} line flags and fields, translated by the queue). The SMTP client knows nothing of
 * mailers; it only honours these.
 *
 * @param hello        which greeting command to send (flags {@code a}, {@code 2}, {@code z})
 * @param loopCheck    our own host name: a next hop that names itself so in its EHLO/HELO reply is
 *                     us (a mail loop) and is refused with 4.4.6; null not to check (flag {@code k})
 * @param dataFinal    the wait for the reply to the final dot ({@code W=}); null for the configured timeout
 * @param content      how content lines are written
 * @param eightBit     8-bit data: how it is sent ({@code 7}, {@code 8}, {@code 9}, {@code C=}, {@code 3})
 * @param reversePathVia a host to name as a route in MAIL FROM, {@code <@host:sender>} (flag
 *                     {@code p}, RFC 821's route-address reverse-path); null for a plain path
 */
public record SessionOptions(Hello hello, String loopCheck, Duration dataFinal, ContentOptions content,
        EightBit eightBit, String reversePathVia) {

    /** The greeting command. */
    public enum Hello {
        /** EHLO, falling back to HELO when EHLO is not known (sendmail flag {@code a}). */
        EHLO,
        /** EHLO only when the 220 greeting says "ESMTP", else HELO (sendmail without {@code a}). */
        EHLO_IF_GREETING_SAYS_ESMTP,
        /** HELO: no service extensions, even when the greeting says "ESMTP" (flag {@code 2} without {@code a}). */
        HELO,
        /** LHLO: the session speaks LMTP (RFC 2033; flag {@code z} or {@code P=[LMTP]}). */
        LHLO
    }

    /**
     * @param stripToSevenBit   clear the eighth bit of every octet when the next hop does not offer
     *                          8BITMIME (flag {@code 7}; sendmail, too, stops stripping once it is offered)
     * @param sendEightBitAsIs  never convert an 8BITMIME message to 7 bit, even for a next hop without
     *                          8BITMIME (flag {@code 8})
     * @param upgradeToEightBit decode a quoted-printable text/plain body to 8bit when the next hop
     *                          offers 8BITMIME (flag {@code 9})
     * @param mime              the 8-to-7 conversion's options ({@code C=}, flag {@code 3})
     */
    public record EightBit(boolean stripToSevenBit, boolean sendEightBitAsIs, boolean upgradeToEightBit,
            Mime8to7.Options mime) {

        public static final EightBit DEFAULT = new EightBit(false, false, false, Mime8to7.Options.DEFAULT);

        public EightBit {
            Objects.requireNonNull(mime, "mime");
        }
    }

    /** What the client did before mailers had a say: EHLO with HELO fallback, content as it is. */
    public static final SessionOptions DEFAULT = new SessionOptions(Hello.EHLO, null, null, ContentOptions.NONE,
            EightBit.DEFAULT, null);

    public SessionOptions {
        Objects.requireNonNull(hello, "hello");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(eightBit, "eightBit");
        if (reversePathVia != null && !ConnectRequest.isPrintableWord(reversePathVia)) {
            throw new IllegalArgumentException("reversePathVia must be a host name");
        }
        if (dataFinal != null && (dataFinal.isNegative() || dataFinal.isZero())) {
            throw new IllegalArgumentException("dataFinal must be positive");
        }
    }

    public boolean lmtp() {
        return hello == Hello.LHLO;
    }
}
