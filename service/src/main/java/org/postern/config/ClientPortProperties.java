package org.postern.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.IpLiteral;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Outbound connections of one address family, as sendmail's
 * {@code O ClientPortOptions=Family=inet, Addr=..., Port=..., M=...}. At most one entry per family;
 * a restriction here affects only connections of this family.
 *
 * @param family     {@code Family}: {@code inet} or {@code inet6}
 * @param addr       {@code Addr}: the source address outbound connections bind to; empty means the
 *                   system's choice. An address, not a name: sendmail's own guide warns that a name
 *                   with several addresses gives indeterminate results
 * @param port       {@code Port}: the source port; 0 (default) is any free port
 * @param sndBufSize {@code SndBufSize}: TCP send buffer; unset keeps the system default
 * @param rcvBufSize {@code RcvBufSize}: TCP receive buffer; unset keeps the system default
 * @param modifiers  {@code Modifiers} ({@code M=}): {@code h} EHLO with the outgoing interface's name,
 *                   {@code A} no AUTH, {@code S} no STARTTLS
 */
public record ClientPortProperties(
        @DefaultValue("inet") AddressFamily family,
        @DefaultValue("") String addr,
        @Min(0) @Max(65535) @DefaultValue("0") int port,
        DataSize sndBufSize,
        DataSize rcvBufSize,
        @DefaultValue("") String modifiers) {

    public ClientPortProperties {
        String where = "postern.client-ports (Family=" + family.sendmailName() + ")";
        ClientModifiers.parse(modifiers, where + ".modifiers");
        try {
            IpLiteral.parse(addr, family);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".addr: " + e.getMessage());
        }
    }
}
