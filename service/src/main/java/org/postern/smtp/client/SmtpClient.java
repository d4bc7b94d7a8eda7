package org.postern.smtp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.postern.smtp.SmtpReply;
import org.postern.smtp.client.SmtpClientException.Phase;

/**
 * Opens outbound ESMTP sessions (RFC 5321) on blocking sockets, meant to run one session per
 * virtual thread. {@link #connect} returns a session that is greeted, past EHLO (or HELO),
 * STARTTLS as the {@link TlsPolicy} says, and AUTH when configured; the caller then runs
 * transactions with {@link SmtpClientSession#send} and ends with {@link SmtpClientSession#quit()}.
 * Thread-safe: one client serves every session.
 */
public final class SmtpClient {

    private final SmtpTimeouts timeouts;
    private final SSLContext verifying;
    private final SSLContext opportunistic;

    /**
     * @param timeouts         the timeouts of every step
     * @param verifyingContext the trust material for {@link TlsPolicy#REQUIRED}; null for the JVM's default trust
     */
    public SmtpClient(SmtpTimeouts timeouts, SSLContext verifyingContext) {
        this.timeouts = timeouts;
        try {
            this.verifying = verifyingContext != null ? verifyingContext : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
        this.opportunistic = acceptAnyCertificate();
    }

    public SmtpTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Connects and prepares a session: bind (when {@code localBind} is given) and buffer sizes,
     * connect, the greeting, EHLO (HELO when EHLO is not known), STARTTLS per policy and EHLO again,
     * then AUTH when credentials are set.
     *
     * @throws SmtpClientException when no usable session could be opened; the socket is closed
     */
    public SmtpClientSession connect(ConnectRequest request) throws SmtpClientException {
        return connect(request, null);
    }

    /**
     * As {@link #connect(ConnectRequest)}, but EHLO names the outgoing interface (ClientPortOptions
     * modifier {@code h}): {@code interfaceName} is asked for the name of the socket's local address
     * once connected, and {@code request.heloName()} is the fallback when it returns null.
     */
    public SmtpClientSession connect(ConnectRequest request, Function<InetAddress, String> interfaceName)
            throws SmtpClientException {
        return connect(request, interfaceName, SessionOptions.DEFAULT);
    }

    /**
     * As {@link #connect(ConnectRequest, Function)}, speaking as the mailer asks ({@link SessionOptions}):
     * EHLO, HELO or LHLO, and the mail-loop check on the name in the EHLO/HELO reply.
     */
    public SmtpClientSession connect(ConnectRequest request, Function<InetAddress, String> interfaceName,
            SessionOptions options) throws SmtpClientException {
        Socket raw = new Socket();
        SmtpClientSession session;
        try {
            if (request.sendBufferSize() > 0) {
                raw.setSendBufferSize(request.sendBufferSize());
            }
            if (request.receiveBufferSize() > 0) {
                raw.setReceiveBufferSize(request.receiveBufferSize()); // before connect, so the window scale fits
            }
            raw.setTcpNoDelay(true); // commands go out in whole groups; Nagle would only delay them
            if (request.localBind() != null) {
                raw.bind(request.localBind());
            }
            raw.connect(request.remote(), (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()));
            session = new SmtpClientSession(raw, request.remote(), timeouts, options);
        } catch (SocketTimeoutException e) {
            closeQuietly(raw);
            throw SmtpClientException.timedOut(Phase.CONNECT, e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw SmtpClientException.temporary(Phase.CONNECT, "cannot connect to " + request.remote() + ": "
                    + e.getMessage(), null, e);
        }
        if (interfaceName != null) {
            String name = interfaceName.apply(raw.getLocalAddress());
            if (name != null) {
                request = request.withHelo(name);
            }
        }
        try {
            session.greeting();
            session.hello(request.heloName());
            checkLoop(session, options);
            startTls(session, request);
            if (request.credentials() != null) {
                session.authenticate(request.credentials(), request.authWithoutTls());
            }
            return session;
        } catch (SmtpClientException e) {
            session.close();
            throw e;
        } catch (RuntimeException e) {
            session.close();
            throw SmtpClientException.temporary(Phase.EHLO, "unexpected error: " + e, null, e);
        }
    }

    /**
     * sendmail's smtpinit: a next hop whose EHLO/HELO reply names it as we are named is this host
     * (a missing MX or alias, an echo server); delivering would loop. Not for LMTP, as in sendmail.
     */
    private static void checkLoop(SmtpClientSession session, SessionOptions options) throws SmtpClientException {
        if (options.loopCheck() != null && !options.lmtp()
                && session.remoteHelloName().equalsIgnoreCase(options.loopCheck())) {
            session.quit();
            throw SmtpClientException.temporary(Phase.EHLO, "mail loops back to me (MX problem?): the next hop"
                    + " calls itself " + session.remoteHelloName(), ClientReplies.MAIL_LOOP, null);
        }
    }

    private void startTls(SmtpClientSession session, ConnectRequest request) throws SmtpClientException {
        TlsPolicy policy = request.tls();
        if (policy == TlsPolicy.NONE) {
            return;
        }
        boolean required = policy == TlsPolicy.REQUIRED;
        if (!session.supports("STARTTLS")) {
            if (required) {
                session.quit(); // the session itself is fine: leave politely
                throw SmtpClientException.temporary(Phase.STARTTLS, "TLS required, STARTTLS not offered",
                        ClientReplies.TLS_NOT_AVAILABLE, null);
            }
            return;
        }
        SmtpReply reply = session.requestStartTls();
        if (reply.code() != 220) {
            if (required) {
                session.quit(); // the session itself is fine: leave politely
                throw SmtpClientException.temporary(Phase.STARTTLS, "TLS required, STARTTLS refused with " + reply,
                        ClientReplies.TLS_NOT_AVAILABLE, null);
            }
            return; // opportunistic: carry on in plain text (RFC 7435 §6)
        }
        String hostName = request.tlsHostName() != null ? request.tlsHostName()
                : request.remote().getAddress().getHostAddress();
        session.handshake(required ? verifying : opportunistic, hostName, required);
        session.hello(request.heloName());
    }

    /** For opportunistic TLS (RFC 7435): encryption without authentication beats plain text. */
    private static SSLContext acceptAnyCertificate() {
        TrustManager acceptAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {acceptAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
