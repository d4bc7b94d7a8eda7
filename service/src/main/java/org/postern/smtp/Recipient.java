package org.postern.smtp;

import java.util.Objects;
import java.util.Set;

/**
 * One envelope recipient with its DSN parameters (RFC 3461).
 *
 * @param address the forward-path mailbox
 * @param dsnNotify the NOTIFY values; empty when the client gave none (the default applies: FAILURE)
 * @param orcpt   the ORCPT parameter as received ({@code addr-type;xtext}), or null
 */
public record Recipient(MailAddress address, Set<DsnNotify> dsnNotify, String orcpt) {
    public Recipient {
        Objects.requireNonNull(address, "address");
        dsnNotify = Set.copyOf(dsnNotify);
    }

    public static Recipient of(MailAddress address) {
        return new Recipient(address, Set.of(), null);
    }
}
