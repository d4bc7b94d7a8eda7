package org.postern.queue;

import org.postern.smtp.client.SmtpClientSession;

/** An open SMTP session to a destination, with what connection reuse needs to know about it. */
final class PooledSession {
    final SmtpClientSession session;
    final String remoteMta;
    /** The next hop as the mail log writes it: {@code host[address]:port}. */
    final String relay;
    int messages;
    long idleSinceNanos;

    PooledSession(SmtpClientSession session, String remoteMta) {
        this(session, remoteMta, remoteMta);
    }

    PooledSession(SmtpClientSession session, String remoteMta, String relay) {
        this.session = session;
        this.remoteMta = remoteMta;
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
