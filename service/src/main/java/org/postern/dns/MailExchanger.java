package org.postern.dns;

import java.util.Objects;

/**
 * One mail exchanger of a domain, as found in its MX records (RFC 5321 section 5.1).
 *
 * @param host       the exchanger's host name, absolute, without the trailing dot
 * @param preference the MX preference; lower is tried first
 * @param implicit   true when the domain has no MX records and its own name stands in for one
 *                   (the "implicit MX": deliver to the domain's A/AAAA addresses)
 */
public record MailExchanger(String host, int preference, boolean implicit) {

    public MailExchanger {
        Objects.requireNonNull(host, "host");
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference out of range: " + preference);
        }
    }
}
