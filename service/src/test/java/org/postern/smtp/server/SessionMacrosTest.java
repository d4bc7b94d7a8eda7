package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ${cipher_bits}: the symmetric key length read from the cipher suite's name. */
class SessionMacrosTest {

    @Test
    void cipherBitsFromTheSuiteName() {
        assertThat(SessionMacros.cipherBits("TLS_AES_256_GCM_SHA384")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("TLS_AES_128_GCM_SHA256")).isEqualTo("128");
        assertThat(SessionMacros.cipherBits("TLS_CHACHA20_POLY1305_SHA256")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).isEqualTo("128");
        assertThat(SessionMacros.cipherBits("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).isEqualTo("256");
        assertThat(SessionMacros.cipherBits("SSL_NULL_WITH_NULL_NULL")).isNull();
    }
}
