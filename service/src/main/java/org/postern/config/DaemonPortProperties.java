package org.postern.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.postern.smtp.AddressFamily;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One SMTP listener, as sendmail's {@code O DaemonPortOptions=Name=MTA, Addr=..., Port=..., M=...}.
 * Keys and defaults follow sendmail: no Addr means every address of the family, no Port means 25.
 *
 * @param name       {@code Name}: for logs, metrics and {@code ${daemon_name}}
 * @param addr       {@code Addr}: the address to listen on; empty means any address of the family
 * @param port       {@code Port}: the TCP port (0 picks a free port, for tests)
 * @param family     {@code Family}: {@code inet} or {@code inet6}
 * @param listen     {@code Listen}: the accept backlog (sendmail's default of 10 is small for a relay)
 * @param modifiers  {@code Modifiers} ({@code M=}): sendmail's daemon flags, see {@link DaemonModifiers}
 * @param sndBufSize {@code SndBufSize}: TCP send buffer; unset keeps the system default
 * @param rcvBufSize {@code RcvBufSize}: TCP receive buffer; unset keeps the system default
 * @param children   {@code children}: most concurrent sessions on this listener; 0 means only the
 *                   global {@code postern.limits.max-sessions} applies
 */
public record DaemonPortProperties(
        @NotBlank @DefaultValue("MTA") String name,
        @DefaultValue("") String addr,
        @Min(0) @Max(65535) @DefaultValue("25") int port,
        @DefaultValue("inet") AddressFamily family,
        @Min(1) @DefaultValue("128") int listen,
        @DefaultValue("") String modifiers,
        DataSize sndBufSize,
        DataSize rcvBufSize,
        @Min(0) @DefaultValue("0") int children) {

    public DaemonPortProperties {
        DaemonModifiers.parse(modifiers); // fails with the offending flag and why
    }
}
