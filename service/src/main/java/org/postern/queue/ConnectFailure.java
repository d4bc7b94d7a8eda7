package org.postern.queue;

/**
 * No session could be opened to a destination: DNS failed, or every next-hop address refused or
 * failed. Carries the outcome every recipient waiting for that destination gets.
 */
final class ConnectFailure extends Exception {
    private final DeliveryOutcome outcome;

    ConnectFailure(DeliveryOutcome outcome) {
        super(outcome.diagnostic(), null, false, false);
        this.outcome = outcome;
    }

    DeliveryOutcome outcome() {
        return outcome;
    }
}
