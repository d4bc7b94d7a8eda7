package org.postern.smtp.server;

import java.net.InetAddress;
import java.net.Socket;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.postern.macro.MacroValues;
import org.postern.macro.Macros;
import org.postern.macro.StandardMacros;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.Envelope;

/**
 * The macros of a message being received, for the {@code Received:} header: what the envelope
 * records, and what only the session knows (TLS, the SASL mechanism, the ports and interfaces).
 */
final class SessionMacros {

    private static final Pattern KEY_BITS = Pattern.compile("_(\\d{3})(?:_|$)");

    private SessionMacros() {
    }

    static MacroValues of(SmtpSession session, Transaction tx, Envelope envelope, ZonedDateTime now) {
        Macros.Builder b = Macros.builder();
        StandardMacros.envelope(b, envelope);
        StandardMacros.time(b, now.toInstant(), now.getZone());
        b.put("a", StandardMacros.rfc5322(now.toInstant(), now.getZone())); // no Date: seen yet: sendmail uses the current time
        if (tx.recipients.size() == 1) {
            b.put("u", "<" + tx.recipients.get(0).address() + ">");
        }
        Socket socket = session.socket();
        DaemonPort port = session.daemonPort;
        StandardMacros.daemon(b, port.name(), port.address(), port.family(), socket.getLocalPort(), port.flags());
        b.put("client_port", Integer.toString(socket.getPort()));
        InetAddress local = socket.getLocalAddress();
        if (local != null && !local.isLoopbackAddress()) {
            b.put("if_addr", StandardMacros.clientAddress(local.getHostAddress()))
                    .put("if_family", AddressFamily.of(local).sendmailName());
        }
        if (session.authenticatedAs != null) {
            b.put("auth_type", session.authMechanism);
        }
        if (socket instanceof SSLSocket tls) {
            SSLSession s = tls.getSession();
            String bits = cipherBits(s.getCipherSuite());
            b.put("tls_version", s.getProtocol()).put("cipher", s.getCipherSuite())
                    .put("cipher_bits", bits)
                    .put("verify", "NOT"); // Postern requests no client certificate
        }
        return b.build();
    }

    /** The symmetric key length in a cipher suite's name (AES_256_GCM → 256); ChaCha20 is 256. */
    static String cipherBits(String suite) {
        String s = suite.toUpperCase(Locale.ROOT);
        if (s.contains("CHACHA20")) {
            return "256";
        }
        Matcher m = KEY_BITS.matcher(s);
        return m.find() ? m.group(1) : null;
    }
}
