package org.postern.queue;

/**
 * What an operator's change to the queue did ({@link QueueControl}'s write operations).
 *
 * @param action      {@code flush}, {@code hold}, {@code release}, {@code delete} or {@code bounce}
 * @param queueId     the message acted on, or null for a flush of many
 * @param destination the destination a flush was limited to, or null
 * @param messages    messages changed (for a flush: waiting messages now due)
 * @param recipients  recipients changed (for a bounce: returned to the sender; for a delete: not delivered)
 * @param result      what happened, in words
 */
public record QueueAction(String action, String queueId, String destination, int messages, int recipients,
        String result) {
}
