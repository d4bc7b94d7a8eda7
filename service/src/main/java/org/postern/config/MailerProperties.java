package org.postern.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * One mailer definition, {@code postern.mailers.<name>}: sendmail's {@code M} line, either as its
 * fields ({@code postern.mailers.esmtp.flags: mDFMuXa}) or as the line itself
 * ({@code postern.mailers.esmtp: "Mesmtp, P=[IPC], F=mDFMuXa, ..."}, see {@link MailerLineParser}).
 * A field left out keeps the built-in mailer's value (or sendmail's default for a new mailer); a
 * whole line defines the mailer afresh, as a new {@code M} line does in sendmail.
 *
 * @param line        the whole {@code M} line; excludes every other field
 * @param path        {@code P=}: {@code [IPC]} (SMTP) or {@code [LMTP]} (LMTP over TCP); a program path is rejected
 * @param flags       {@code F=}: mailer flags, e.g. {@code mDFMuXa}
 * @param sender      {@code S=}: sender rewriting rule sets, {@code envelope/header} or one name for both
 * @param recipient   {@code R=}: recipient rewriting rule sets, as {@code sender}
 * @param argv        {@code A=}: {@code TCP $h} or {@code TCP $h port}
 * @param eol         {@code E=}: only {@code \r\n} (written escaped or as CR LF)
 * @param maxmessages {@code m=}: messages per connection, 0 for no limit
 * @param recipients  {@code r=}: recipients per transaction when flag {@code m} is set
 * @param maxsize     {@code M=}: the largest message this mailer takes
 * @param linelimit   {@code L=}: the longest line, without CRLF; 0 for no limit
 * @param type        {@code T=}: DSN types, {@code mta/addr/diag}
 * @param waitTime    {@code W=} (property {@code wait}): wait for the reply to the final dot
 * @param charset     {@code C=}: the charset of unlabelled 8-bit text when converting to 7 bit
 * @param port        the next hop's TCP port (as the port in {@code A=TCP $h port})
 * @param directory   {@code D=}: rejected (a program mailer's working directory)
 * @param userid      {@code U=}: rejected (a program mailer's user)
 * @param nice        {@code N=}: rejected (a program mailer's nice increment)
 * @param root        {@code /=}: rejected (a program mailer's chroot)
 * @param queuegroup  {@code Q=}: rejected (Postern has one queue, scheduled per destination)
 */
public record MailerProperties(
        String line,
        String path,
        String flags,
        String sender,
        String recipient,
        String argv,
        String eol,
        @Min(0) Integer maxmessages,
        @Min(1) Integer recipients,
        DataSize maxsize,
        Integer linelimit,
        String type,
        @Name("wait") Duration waitTime,
        String charset,
        @Min(1) @Max(65535) Integer port,
        String directory,
        String userid,
        String nice,
        String root,
        String queuegroup) {

    /** The properties of a mailer given as its whole {@code M} line. */
    public static MailerProperties ofLine(String line) {
        return new MailerProperties(line, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }
}
