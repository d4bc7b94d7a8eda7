package org.postern.queue;

import java.util.Locale;

/** The RFC 3464 §2.3.3 Action of one recipient in a delivery status notification. */
public enum DsnAction {
    /** Could not be delivered and will not be retried. */
    FAILED,
    /** Not delivered yet; still being retried. */
    DELAYED,
    /** Delivered to the recipient's mailbox (or a next hop that confirmed it, with NOTIFY=SUCCESS). */
    DELIVERED,
    /** Handed to a next hop that does not support DSN, so no further notice will come. */
    RELAYED,
    /** Delivered to an alias or list that passed it on to other addresses. */
    EXPANDED;

    /** The keyword as written in the Action field: lower case. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
