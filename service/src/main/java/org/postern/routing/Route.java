package org.postern.routing;

import java.util.Objects;
import org.postern.smtp.SmtpReply;

/**
 * Where a recipient's mail goes: the right-hand side of a sendmail mailertable entry or of
 * SMART_HOST, parsed by {@link RouteParser}. Three kinds, as in sendmail: relay through a mailer to
 * a host, reject with a fixed reply ({@code error:}), or drop silently ({@code discard:}).
 */
public sealed interface Route {

    /**
     * Deliver through {@code mailer} to a host.
     *
     * @param mailer   the mailer name ({@code esmtp}, {@code relay}, ...), a key of the mailer definitions
     * @param host     a host name (lower case, no trailing dot) or an IP address (without brackets);
     *                 null means the recipient's own domain
     * @param port     the TCP port; 0 means the mailer's default (25)
     * @param mxLookup true to look up MX records for the host (sendmail's {@code host}); false to
     *                 connect to the host's own addresses ({@code [host]})
     */
    record Relay(String mailer, String host, int port, boolean mxLookup) implements Route {
        public Relay {
            Objects.requireNonNull(mailer, "mailer");
            if (mailer.isBlank()) {
                throw new IllegalArgumentException("empty mailer name");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** The route in sendmail syntax, for logs: {@code esmtp:[smtp.example.net]:587}. */
        @Override
        public String toString() {
            String h = host == null ? "" : host.indexOf(':') >= 0 ? "[IPv6:" + host + "]" : mxLookup ? host : "[" + host + "]";
            return mailer + ":" + h + (port == 0 ? "" : ":" + port);
        }
    }

    /**
     * Fail the recipient with {@code reply}, always 4xx or 5xx with an enhanced status code: sendmail's
     * {@code error:} mailer. A 4xx keeps the message queued; a 5xx bounces it.
     */
    record Error(SmtpReply reply) implements Route {
        public Error {
            Objects.requireNonNull(reply, "reply");
            if (reply.code() < 400 || reply.enhanced() == null) {
                throw new IllegalArgumentException("an error route needs a 4xx or 5xx reply with an enhanced status: " + reply);
            }
        }
    }

    /** Accept and drop the recipient: sendmail's {@code discard:} mailer. */
    record Discard() implements Route {
    }
}
