package org.postern.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postern.policy.AuthFailureLimiter;

/**
 * Counts failed SMTP AUTH attempts by outcome: {@code rejected} (wrong credentials, 535) and
 * {@code blocked} (refused unchecked, the client address being over {@code postern.auth.max-failures},
 * 454). Both series exist from startup, so an alert on their rate has data from the first scrape.
 */
public final class AuthMetrics implements AuthFailureLimiter.Listener {

    private final Counter rejected;
    private final Counter blocked;

    public AuthMetrics(MeterRegistry registry) {
        rejected = counter(registry, AuthFailureLimiter.REJECTED);
        blocked = counter(registry, AuthFailureLimiter.BLOCKED);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("postern.auth.failures")
                .description("Failed SMTP AUTH attempts: rejected (wrong credentials) or blocked (client over the failure limit)")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public void failure(String outcome) {
        (AuthFailureLimiter.BLOCKED.equals(outcome) ? blocked : rejected).increment();
    }
}
