package org.postern.config;

import java.time.Duration;
import org.postern.smtp.client.SmtpTimeouts;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeouts of outbound SMTP sessions, named as sendmail's {@code Timeout.*} options; the defaults
 * are RFC 5321 §4.5.3.2's.
 *
 * @param connect   establishing the TCP connection
 * @param initial   waiting for the 220 greeting (RFC: 5 minutes)
 * @param helo      the reply to EHLO or HELO
 * @param starttls  the reply to STARTTLS and the TLS handshake
 * @param auth      each step of the AUTH exchange
 * @param mail      the reply to MAIL (RFC: 5 minutes)
 * @param rcpt      the reply to each RCPT (RFC: 5 minutes)
 * @param datainit  the 354 reply to DATA (RFC: 2 minutes)
 * @param datablock each write of message content (RFC: 3 minutes)
 * @param datafinal the reply after the final dot (RFC: 10 minutes)
 * @param rset      the reply to RSET between messages on a reused connection
 * @param quit      the reply to QUIT
 */
public record TimeoutsProperties(
        @DefaultValue("30s") Duration connect,
        @DefaultValue("5m") Duration initial,
        @DefaultValue("5m") Duration helo,
        @DefaultValue("5m") Duration starttls,
        @DefaultValue("5m") Duration auth,
        @DefaultValue("5m") Duration mail,
        @DefaultValue("5m") Duration rcpt,
        @DefaultValue("2m") Duration datainit,
        @DefaultValue("3m") Duration datablock,
        @DefaultValue("10m") Duration datafinal,
        @DefaultValue("5m") Duration rset,
        @DefaultValue("2m") Duration quit) {

    public TimeoutsProperties {
        Duration[] all = {connect, initial, helo, starttls, auth, mail, rcpt, datainit, datablock, datafinal, rset, quit};
        String[] names = {"connect", "initial", "helo", "starttls", "auth", "mail", "rcpt", "datainit", "datablock",
                "datafinal", "rset", "quit"};
        for (int i = 0; i < all.length; i++) {
            if (all[i].isNegative() || all[i].isZero()) {
                throw new IllegalArgumentException("postern.timeouts." + names[i] + " must be positive");
            }
        }
    }

    public SmtpTimeouts toSmtpTimeouts() {
        return new SmtpTimeouts(connect, initial, helo, starttls, auth, mail, rcpt, datainit, datablock, datafinal,
                rset, quit);
    }
}
