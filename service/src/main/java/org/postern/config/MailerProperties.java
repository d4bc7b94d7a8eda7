package org.postern.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.util.unit.DataSize;

/**
 * One mailer definition, {@code postern.mailers.<name>.*}: sendmail's {@code M} line fields that a
 * network relay uses. A field left out keeps the built-in mailer's value (or sendmail's default
 * for a new mailer).
 *
 * @param flags       {@code F=}: mailer flags, e.g. {@code mDFMuXa}
 * @param maxmessages {@code m=}: messages per connection, 0 for no limit
 * @param recipients  {@code r=}: recipients per transaction when flag {@code m} is set
 * @param maxsize     {@code M=}: the largest message this mailer takes
 * @param port        the next hop's TCP port ({@code A=TCP $h port})
 */
public record MailerProperties(
        String flags,
        @Min(0) Integer maxmessages,
        @Min(1) Integer recipients,
        DataSize maxsize,
        @Min(1) @Max(65535) Integer port) {
}
