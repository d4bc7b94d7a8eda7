package org.postern.smtp.server;

import org.postern.smtp.MailAddress;

/**
 * Answers VRFY for an address the relay can vouch for: in sendmail, one that resolves to a
 * mailer with flag {@code q} gets 250 instead of 252. The queue's routing decides; the server
 * only asks.
 */
@FunctionalInterface
public interface AddressVerifier {

    /** Verifies nothing: every VRFY gets 252. */
    AddressVerifier NONE = address -> false;

    /** Whether VRFY of {@code address} may answer 250. */
    boolean verifies(MailAddress address);
}
