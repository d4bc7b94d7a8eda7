package org.postern.smtp.server;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Turns an accepted socket into a TLS server socket, for STARTTLS and for SMTPS listeners. */
public final class ServerTls {
    private final SSLContext context;

    public ServerTls(SSLContext context) {
        this.context = context;
    }

    SSLSocket upgrade(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }
}
