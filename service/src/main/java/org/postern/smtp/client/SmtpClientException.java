package org.postern.smtp.client;

import org.postern.smtp.SmtpReply;

/**
 * A session-level failure of an outbound session: the connection cannot be used further. The
 * {@link #phase()} says where it happened, {@link #reply()} what the server (or, for local
 * refusals such as a TLS policy failure, the client) answered. Unknown errors are temporary.
 * The message never contains credentials or AUTH payloads.
 */
public final class SmtpClientException extends Exception {

    /** The step of the session that failed. */
    public enum Phase { CONNECT, GREETING, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, DATA_END, RSET, QUIT }

    private final Phase phase;
    private final SmtpReply reply;
    private final boolean timeout;
    private final boolean permanent;

    SmtpClientException(Phase phase, String message, SmtpReply reply, boolean timeout, boolean permanent,
            Throwable cause) {
        super(phase + ": " + message + describe(phase, reply), cause);
        this.phase = phase;
        this.reply = reply;
        this.timeout = timeout;
        this.permanent = permanent;
    }

    /** A negative reply that ends the session; permanent only for a 5xx where retrying cannot help. */
    static SmtpClientException rejected(Phase phase, String message, SmtpReply reply, boolean permanentIf5xx) {
        return new SmtpClientException(phase, message, reply, false, permanentIf5xx && reply.isPermanent(), null);
    }

    static SmtpClientException temporary(Phase phase, String message, SmtpReply reply, Throwable cause) {
        return new SmtpClientException(phase, message, reply, false, false, cause);
    }

    static SmtpClientException timedOut(Phase phase, Throwable cause) {
        return new SmtpClientException(phase, "timeout", null, true, false, cause);
    }

    /** The reply as text; for AUTH only its codes, since a server may echo what it was sent. */
    private static String describe(Phase phase, SmtpReply reply) {
        if (reply == null) {
            return "";
        }
        if (phase == Phase.AUTH) {
            return " (" + reply.code() + (reply.enhanced() == null ? "" : " " + reply.enhanced()) + ")";
        }
        return " (" + reply + ")";
    }

    public Phase phase() {
        return phase;
    }

    /** The reply behind the failure, or null for a network error, a timeout or a protocol error. */
    public SmtpReply reply() {
        return reply;
    }

    public boolean timeout() {
        return timeout;
    }

    /** True only for a 5xx reply to something that will not change on retry (greeting, EHLO and HELO). */
    public boolean permanent() {
        return permanent;
    }
}
