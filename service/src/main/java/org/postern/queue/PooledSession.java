package org.postern.queue;

import org.postern.smtp.client.SmtpClientSession;

/** An open SMTP session to a destination, with what connection reuse needs to know about it. */
final class PooledSession {
    final SmtpClientSession session;
    final String remoteMta;
    /** The ClientPortOptions modifiers of the connection's address family (${client_flags}). */
    final String clientFlags;
    /** The next hop's address, as text (${server_addr}); null when unknown. */
    final String serverAddress;
    int messages;
    long idleSinceNanos;

    PooledSession(SmtpClientSession session, String remoteMta) {
        this(session, remoteMta, "", null);
    }

    PooledSession(SmtpClientSession session, String remoteMta, String clientFlags, String serverAddress) {
        this.session = session;
        this.remoteMta = remoteMta;
        this.clientFlags = clientFlags == null ? "" : clientFlags;
        this.serverAddress = serverAddress;
    }

    void quitQuietly() {
        try {
            session.quit();
        } catch (Exception e) {
            closeQuietly();
        }
    }

    void closeQuietly() {
        try {
            session.close();
        } catch (Exception e) {
            // nothing to do: the connection is gone either way
        }
    }
}
