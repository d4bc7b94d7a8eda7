package org.postern.config;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * AUTH credentials for one next hop (sendmail's {@code authinfo}). The password comes from the
 * property itself (for example from a Secret through {@code spring.config.import=configtree:}) or
 * from a mounted file read at each connection, so a rotated Secret takes effect without a restart.
 *
 * @param username        the SASL user name
 * @param password        the password; leave empty when {@code password-file} is set
 * @param passwordFile    a file holding the password (trailing newline ignored)
 * @param allowWithoutTls send the credentials even when the session has no TLS; off, because PLAIN
 *                        and LOGIN send the password in the clear
 */
public record RelayAuthProperties(
        @NotBlank String username,
        String password,
        Path passwordFile,
        @DefaultValue("false") boolean allowWithoutTls) {

    public RelayAuthProperties {
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasPassword == (passwordFile != null)) {
            throw new IllegalArgumentException("postern.routing.auth: set exactly one of password and password-file"
                    + " for user " + username);
        }
    }

    /** Never shows the password: these records end up in logs and actuator output. */
    @Override
    public String toString() {
        return "RelayAuthProperties[username=" + username + ", password=" + (password == null ? "none" : "******")
                + ", passwordFile=" + passwordFile + ", allowWithoutTls=" + allowWithoutTls + "]";
    }
}
