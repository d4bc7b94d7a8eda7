package org.postern.smtp.server;

import java.time.Duration;

/**
 * The protocol settings every session shares, resolved from {@code postern.limits}, {@code postern.smtp}
 * and {@code postern.auth}.
 */
public record SessionSettings(
        String hostname,
        long maxMessageSize,
        int maxRecipients,
        int maxCommandLineLength,
        int maxDataLineLength,
        Duration idleTimeout,
        Duration commandTimeout,
        int maxErrors,
        int maxJunkCommands,
        int maxMessagesPerSession,
        BareLineEndings bareLineEndings,
        boolean authWithoutTls) {

    boolean normalize() {
        return bareLineEndings == BareLineEndings.NORMALIZE;
    }
}
