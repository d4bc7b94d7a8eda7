package org.postern.config;

import org.postern.smtp.server.BareLineEndings;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protocol behaviour of the SMTP server.
 *
 * @param bareLineEndings what to do with a bare CR or LF in commands and message data:
 *                        {@code reject} (default; the SMTP smuggling defence) or {@code normalize}
 *                        (treat it as CRLF, while only a real CRLF.CRLF still ends DATA)
 */
public record SmtpProperties(@DefaultValue("reject") BareLineEndings bareLineEndings) {
}
