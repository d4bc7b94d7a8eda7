package org.postern.queue;

import java.util.List;

/** Some recipients of one message attempt, all for one destination. */
record DeliveryJob(MessageAttempt attempt, Destination destination, List<Integer> recipients) {
}
