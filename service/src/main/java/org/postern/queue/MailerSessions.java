package org.postern.queue;

import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerProtocol;
import org.postern.smtp.Mime8to7;
import org.postern.smtp.client.ContentOptions;
import org.postern.smtp.client.SessionOptions;
import org.postern.smtp.client.SessionOptions.EightBit;
import org.postern.smtp.client.SessionOptions.Hello;

/**
 * Translates a mailer's flags and fields into what the SMTP client honours: the greeting command
 * ({@code a}, {@code 2}, {@code z}/{@code [LMTP]}), the mail-loop check ({@code k}), the wait for
 * the final reply ({@code W=}), the content filters ({@code L=}, {@code E}, {@code b}, {@code 1},
 * {@code 6}), 8-bit handling ({@code 7}, {@code 8}, {@code 9}, {@code C=}, {@code 3}) and the
 * route-address reverse-path ({@code p}).
 */
final class MailerSessions {

    private MailerSessions() {
    }

    /** @param hostname our name ({@code $j}): the loop check compares with it, {@code p} routes through it */
    static SessionOptions of(MailerDefinition m, String hostname) {
        Hello hello = m.protocol() == MailerProtocol.LMTP ? Hello.LHLO
                : m.hasFlag('a') ? Hello.EHLO
                : m.hasFlag('2') ? Hello.HELO
                : Hello.EHLO_IF_GREETING_SAYS_ESMTP;
        ContentOptions content = new ContentOptions(m.lineLimit(), m.hasFlag('E'), m.hasFlag('b'), m.hasFlag('1'),
                m.hasFlag('6'));
        EightBit eightBit = new EightBit(m.hasFlag('7'), m.hasFlag('8'), m.hasFlag('9'),
                new Mime8to7.Options(m.charset(), m.hasFlag('3')));
        return new SessionOptions(hello, m.hasFlag('k') ? null : hostname, m.waitTime(), content, eightBit,
                m.hasFlag('p') ? hostname : null);
    }
}
