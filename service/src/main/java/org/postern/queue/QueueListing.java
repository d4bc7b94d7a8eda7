package org.postern.queue;

import java.time.Instant;
import java.util.List;

/**
 * One page of the queue as {@code mailq} shows it: the messages that match the filters, in arrival
 * order, from {@code offset}, at most {@code limit} of them.
 *
 * @param offset   the position of the first message shown among the matching ones
 * @param limit    the page size applied (capped at {@link QueueControl#MAX_LIMIT})
 * @param total    how many messages match the filters
 * @param messages the page
 */
public record QueueListing(int offset, int limit, int total, List<Entry> messages) {

    public QueueListing {
        messages = List.copyOf(messages);
    }

    /**
     * One message in the listing.
     *
     * @param queueId     its queue id
     * @param state       {@code active} (an attempt in progress), {@code waiting} (for its next attempt)
     *                    or {@code held} (on hold, never attempted until released)
     * @param arrival     when it was accepted
     * @param sender      the envelope sender, empty for the null sender
     * @param size        the content's size in octets
     * @param recipients  envelope recipients
     * @param pending     recipients not yet delivered nor failed
     * @param attempts    delivery attempts made
     * @param nextAttempt when a waiting message is next attempted; null when active or held
     * @param lastError   the last temporary failure of a pending recipient since this process
     *                    started (the reply, or our reason), or null
     */
    public record Entry(String queueId, String state, Instant arrival, String sender, long size, int recipients,
            int pending, int attempts, Instant nextAttempt, String lastError) {
    }
}
