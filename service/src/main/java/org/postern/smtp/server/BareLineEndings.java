package org.postern.smtp.server;

/** What a session does with a CR or LF that is not part of a CRLF pair. */
public enum BareLineEndings {
    /** Refuse it with a 5xx reply: the defence against SMTP smuggling (CVE-2023-51764 and kin). */
    REJECT,
    /** Treat it as CRLF in stored content; only a real CRLF "." CRLF still ends DATA. */
    NORMALIZE
}
