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
    /** The next hop as the mail log writes it: {@code host[address]:port}. */
    final String relay;
    int messages;
    long idleSinceNanos;

    PooledSession(SmtpClientSession session, String remoteMta) {
        this(session, remoteMta, "", null, remoteMta);
    }

    PooledSession(SmtpClientSession session, String remoteMta, String clientFlags, String serverAddress,
            String relay) {
        this.session = session;
        this.remoteMta = remoteMta;
        this.clientFlags = clientFlags == null ? "" : clientFlags;
        this.serverAddress = serverAddress;
        this.relay = relay;
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
