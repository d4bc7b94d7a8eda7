package org.postern.spool;

/**
 * Where one recipient of a spooled message stands. Every recipient starts {@link #PENDING}; the
 * delivery code records a final state with {@link Spool#markRecipient} right after the outcome.
 */
public enum RecipientState {
    /** Not yet delivered: delivered (again) after a restart. */
    PENDING,
    /** The next hop accepted it with 250. */
    DELIVERED,
    /** Permanently failed (bounced or dropped); never retried. */
    FAILED;

    /** True for the states after which the recipient is never tried again. */
    public boolean isFinal() {
        return this != PENDING;
    }
}
