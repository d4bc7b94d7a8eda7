package org.postern.smtp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the client waits for each step of a session. Each reply timeout bounds the wait for
 * that reply; {@link #dataBlock()} also bounds each blocked write of the message content, which a
 * watchdog enforces by closing the socket (socket writes have no timeout of their own).
 *
 * @param connect         TCP connect
 * @param greeting        the 220 greeting (RFC 5321 §4.5.3.2.1: 5 minutes)
 * @param ehlo            the EHLO or HELO reply
 * @param startTls        the STARTTLS reply and the TLS handshake
 * @param auth            each AUTH reply
 * @param mail            the MAIL reply (§4.5.3.2.2: 5 minutes)
 * @param rcpt            each RCPT reply (§4.5.3.2.3: 5 minutes)
 * @param dataInit        the 354 reply to DATA (§4.5.3.2.4: 2 minutes)
 * @param dataBlock       each write of the content (§4.5.3.2.5: 3 minutes)
 * @param dataTermination the reply to the final dot (§4.5.3.2.6: 10 minutes)
 * @param rset            the RSET reply
 * @param quit            the QUIT reply
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration ehlo, Duration startTls, Duration auth,
        Duration mail, Duration rcpt, Duration dataInit, Duration dataBlock, Duration dataTermination, Duration rset,
        Duration quit) {

    public SmtpTimeouts {
        for (Duration d : new Duration[] {connect, greeting, ehlo, startTls, auth, mail, rcpt, dataInit, dataBlock,
                dataTermination, rset, quit}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }

    /**
     * The minimums of RFC 5321 §4.5.3.2: greeting 5 min, MAIL 5 min, RCPT 5 min, DATA initiation
     * 2 min, data block 3 min, DATA termination 10 min. The RFC names no value for connect (30 s,
     * as Postfix's smtp_connect_timeout), EHLO, STARTTLS, AUTH and RSET (5 min, as for other
     * commands) or QUIT (2 min: nothing waits on it).
     */
    public static SmtpTimeouts rfc5321() {
        Duration five = Duration.ofMinutes(5);
        return new SmtpTimeouts(Duration.ofSeconds(30), five, five, five, five, five, five, Duration.ofMinutes(2),
                Duration.ofMinutes(3), Duration.ofMinutes(10), five, Duration.ofMinutes(2));
    }

    /** The same timeout for every step; for tests and for peers known to be local. */
    public static SmtpTimeouts uniform(Duration timeout) {
        return new SmtpTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout,
                timeout, timeout, timeout);
    }
}
