package org.postern.smtp.server;

/**
 * Told how each message's content ended (after DATA or the last BDAT), for metrics: accepted into
 * the spool, or rejected and why. Called on the session's thread before the reply goes out; must
 * be quick and must not throw.
 *
 * <p>{@code listener} is the daemon port's name; {@code outcome} is one of the constants below, a
 * bounded set safe as a metric label.
 */
@FunctionalInterface
public interface MessageReceivedListener {

    /** Committed to the spool; the client got 250. */
    String ACCEPTED = "accepted";
    /** Larger than {@code postern.limits.max-message-size} (552). */
    String REJECTED_SIZE = "rejected_size";
    /** A line longer than {@code postern.limits.max-data-line-length} (500). */
    String REJECTED_LINE = "rejected_line";
    /** A bare CR or LF in the content, with {@code postern.smtp.bare-line-endings=reject} (550). */
    String REJECTED_BARE_LINE_ENDING = "rejected_bare_line_ending";
    /** A NUL octet in the content (550 5.6.0): never valid without BINARYMIME, and a smuggling vector. */
    String REJECTED_NUL = "rejected_nul";
    /** The spool could not store or commit it (452/451). */
    String STORE_FAILED = "store_failed";
    /** Refused by a header check ({@code postern.header-checks}, 550), or a header block too large to check (552). */
    String REJECTED_HEADER = "rejected_header";
    /** Dropped by a header check's {@code discard}: the client got 250, nothing was stored. */
    String DISCARDED = "discarded";

    MessageReceivedListener NONE = (listener, outcome) -> { };

    void received(String listener, String outcome);

    /**
     * An accepted message's commit took {@code nanos}: from the end of its content (the final dot,
     * or the last BDAT chunk) to its 250, i.e. the spool's write, fsyncs and group-commit wait.
     * Called on the session's thread right before the 250 is written; must be quick.
     */
    default void committed(String listener, long nanos) {
    }
}
