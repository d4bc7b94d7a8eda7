package org.postern.queue;

import org.postern.mailer.MailerDefinition;

/**
 * Mailer flags {@code %} and {@code e}: mail for such a mailer is not attempted on receipt. In
 * sendmail it waits for a queue run that selects it ({@code %}: {@code -qI/-qR/-qS} or ETRN;
 * {@code e}: any queue run, with HoldExpensive set). Postern's queue runs are its retry schedule,
 * so the recipients are deferred once, with this outcome, and their first attempt is at the first
 * retry time (or at a flush of the queue, which tries whatever is due).
 */
final class MailerHold {

    private MailerHold() {
    }

    /** Whether recipients for {@code mailer} wait for the first queue run instead of an attempt now. */
    static boolean holds(MailerDefinition mailer, QueuedMessage message) {
        return message.schedule.attempts() == 0 && (mailer.hasFlag('%') || mailer.hasFlag('e'));
    }

    static DeliveryOutcome.Deferred outcome(MailerDefinition mailer) {
        return new DeliveryOutcome.Deferred("4.0.0", "held for the queue run (mailer " + mailer.name() + " has flag "
                + (mailer.hasFlag('%') ? "%" : "e") + ")", null, FailureScope.MESSAGE);
    }
}
