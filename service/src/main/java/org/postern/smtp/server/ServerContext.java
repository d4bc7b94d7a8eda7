package org.postern.smtp.server;

import java.time.Clock;
import java.util.function.Supplier;
import org.postern.header.HeaderRules;
import org.postern.policy.AuthFailureLimiter;
import org.postern.policy.Authenticator;
import org.postern.policy.RelayPolicy;
import org.postern.policy.SessionLimiter;
import org.postern.spool.Spool;

/**
 * What sessions need from the rest of Postern.
 *
 * @param tls      null when no STARTTLS/SMTPS is possible ({@code postern.tls.enabled=false})
 * @param accepted told about each committed message (the delivery queue)
 * @param received told how each message's content ended, accepted or rejected (metrics)
 * @param verifier which addresses VRFY may answer 250 for (mailer flag {@code q})
 * @param headers  the Received: rule and the header checks ({@code postern.headers}); sendmail's by
 *                 default. Read once per message, so a configuration refresh applies to the next one
 * @param authFailures failed AUTH attempts per client address ({@code postern.auth.max-failures});
 *                 null means the defaults (5 within 5 minutes)
 */
public record ServerContext(SessionSettings settings, RelayPolicy relayPolicy, Authenticator authenticator,
        ServerTls tls, Spool spool, SessionLimiter limiter, Clock clock, MessageAcceptedListener accepted,
        MessageReceivedListener received, AddressVerifier verifier, Supplier<HeaderRules> headers,
        AuthFailureLimiter authFailures) {

    public ServerContext {
        authFailures = authFailures == null ? new AuthFailureLimiter(5, java.time.Duration.ofMinutes(5),
                java.time.InstantSource.system(), null) : authFailures;
        accepted = accepted == null ? MessageAcceptedListener.NONE : accepted;
        received = received == null ? MessageReceivedListener.NONE : received;
        verifier = verifier == null ? AddressVerifier.NONE : verifier;
        if (headers == null) {
            HeaderRules defaults = HeaderRules.defaults(settings.hostname());
            headers = () -> defaults;
        }
    }

    public ServerContext(SessionSettings settings, RelayPolicy relayPolicy, Authenticator authenticator,
            ServerTls tls, Spool spool, SessionLimiter limiter, Clock clock, MessageAcceptedListener accepted,
            MessageReceivedListener received, AddressVerifier verifier, Supplier<HeaderRules> headers) {
        this(settings, relayPolicy, authenticator, tls, spool, limiter, clock, accepted, received, verifier, headers,
                null);
    }

    public ServerContext(SessionSettings settings, RelayPolicy relayPolicy, Authenticator authenticator,
            ServerTls tls, Spool spool, SessionLimiter limiter, Clock clock, MessageAcceptedListener accepted,
            MessageReceivedListener received) {
        this(settings, relayPolicy, authenticator, tls, spool, limiter, clock, accepted, received, null, null);
    }

    public ServerContext(SessionSettings settings, RelayPolicy relayPolicy, Authenticator authenticator,
            ServerTls tls, Spool spool, SessionLimiter limiter, Clock clock, MessageAcceptedListener accepted) {
        this(settings, relayPolicy, authenticator, tls, spool, limiter, clock, accepted, null, null, null);
    }
}
