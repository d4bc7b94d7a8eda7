package org.postern.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Resource limits of the SMTP server. Each one has a reply when it is hit (docs/configuration.md).
 *
 * @param maxMessageSize         largest message accepted, advertised in EHLO SIZE (552 5.3.4)
 * @param maxRecipients          recipients per message (452 4.5.3 for the ones past it)
 * @param maxCommandLineLength   octets in a command line, without CRLF; RFC 5321 asks for at least 512 (500 5.5.2)
 * @param maxDataLineLength      octets in a message line, without CRLF; RFC 5322 says 998 (550 5.6.0)
 * @param maxSessions            concurrent SMTP sessions over all listeners (421 4.7.0 at connect)
 * @param maxSessionsPerClient   concurrent sessions from one client address (421 4.7.0 at connect)
 * @param idleTimeout            longest wait for the next bytes from the client (421 4.4.2)
 * @param commandTimeout         longest a single command may take, including its DATA or BDAT payload,
 *                               so a client trickling bytes cannot hold a session forever (421 4.4.2)
 * @param maxErrors              error replies in one session before it is closed (421 4.7.0)
 * @param maxJunkCommands        NOOP, RSET, VRFY and HELP a session may send since its last accepted
 *                               message before each further one counts as an error (Postfix's
 *                               {@code smtpd_junk_command_limit}), so a client cannot hold a session
 *                               forever with commands that never fail
 * @param maxMessagesPerSession  messages in one session before it is closed (421 4.7.0)
 * @param connectionRateThrottle sendmail's {@code ConnectionRateThrottle}: connections each listener
 *                               accepts per second; past it, accepting waits (the client is delayed,
 *                               not refused); 0 is no throttle
 */
public record LimitsProperties(
        @DefaultValue("35MB") DataSize maxMessageSize,
        @Min(1) @DefaultValue("1000") int maxRecipients,
        @Min(510) @DefaultValue("2048") int maxCommandLineLength,
        @Min(78) @DefaultValue("998") int maxDataLineLength,
        @Min(1) @DefaultValue("1000") int maxSessions,
        @Min(1) @DefaultValue("100") int maxSessionsPerClient,
        @DefaultValue("5m") Duration idleTimeout,
        @DefaultValue("10m") Duration commandTimeout,
        @Min(1) @DefaultValue("10") int maxErrors,
        @Min(1) @DefaultValue("100") int maxJunkCommands,
        @Min(1) @DefaultValue("1000") int maxMessagesPerSession,
        @Min(0) @DefaultValue("0") int connectionRateThrottle) {

    public LimitsProperties {
        if (maxMessageSize.toBytes() < 1024) {
            throw new IllegalArgumentException("postern.limits.max-message-size must be at least 1KB");
        }
        requirePositive(idleTimeout, "idle-timeout");
        requirePositive(commandTimeout, "command-timeout");
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("postern.limits." + name + " must be positive");
        }
    }
}
