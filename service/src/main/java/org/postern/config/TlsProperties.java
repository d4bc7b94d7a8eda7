package org.postern.config;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The server certificate for STARTTLS and SMTPS listeners. Choose one of: a Spring SSL bundle
 * ({@code spring.ssl.bundle.*}), PEM files, or nothing, in which case a self-signed certificate
 * for {@code postern.hostname} is generated at startup (fine for opportunistic TLS and development).
 *
 * @param enabled            offer STARTTLS at all
 * @param bundle             name of a Spring SSL bundle holding the key and certificate
 * @param certificate        PEM certificate chain (a path or Spring resource, e.g. {@code file:/etc/tls/tls.crt})
 * @param privateKey         PEM private key matching {@code certificate}
 * @param privateKeyPassword password of an encrypted PEM private key
 */
public record TlsProperties(
        @DefaultValue("true") boolean enabled,
        String bundle,
        String certificate,
        String privateKey,
        String privateKeyPassword) {

    public TlsProperties {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException(
                    "postern.tls.certificate and postern.tls.private-key must be given together");
        }
        if (bundle != null && certificate != null) {
            throw new IllegalArgumentException("postern.tls: set either bundle or certificate/private-key, not both");
        }
    }
}
