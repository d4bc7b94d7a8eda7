package org.postern.queue;

import java.util.Objects;

/**
 * What one delivery attempt did for one recipient. {@code status} is the RFC 3463 enhanced status,
 * {@code diagnostic} the remote reply (or our own explanation), {@code remoteMta} the next hop's
 * host name when one was reached.
 */
public sealed interface DeliveryOutcome {

    String status();

    String diagnostic();

    String remoteMta();

    /**
     * The next hop took responsibility (2xx).
     *
     * @param dsnPassedOn whether the next hop offered DSN, so NOTIFY went with the message; when it
     *                    did not and the sender asked for SUCCESS, we report "relayed" ourselves
     */
    record Delivered(String status, String diagnostic, String remoteMta, boolean dsnPassedOn)
            implements DeliveryOutcome {
    }

    /** A temporary failure: the recipient stays pending and is retried. */
    record Deferred(String status, String diagnostic, String remoteMta, FailureScope scope) implements DeliveryOutcome {
        public Deferred {
            Objects.requireNonNull(scope, "scope");
        }
    }

    /** A permanent failure: the recipient is final and is reported to the sender. */
    record Failed(String status, String diagnostic, String remoteMta, FailureScope scope) implements DeliveryOutcome {
        public Failed {
            Objects.requireNonNull(scope, "scope");
        }
    }

    /** Dropped on purpose by a {@code discard:} route: final, and never reported. */
    record Discarded(String status, String diagnostic, String remoteMta) implements DeliveryOutcome {
    }
}
