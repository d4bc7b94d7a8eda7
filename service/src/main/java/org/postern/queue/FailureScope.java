package org.postern.queue;

/**
 * How much a failure covers, as Postfix's smtp_trouble.c classifies it: the scope decides what
 * else is deferred with it and what is tried next.
 */
public enum FailureScope {
    /** The connection or SMTP session to one next-hop address failed; another address may work. */
    SESSION,
    /** The whole destination is unreachable (DNS, every address): everything queued for it waits. */
    SITE,
    /** The next hop refused this message (MAIL, DATA, size, content). */
    MESSAGE,
    /** The next hop refused this recipient. */
    RECIPIENT
}
