package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.policy.Authenticator;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.crypto.scrypt.SCryptPasswordEncoder;

/** Which configured password values are accepted: every accepted one can really be checked at AUTH time. */
class PasswordHashesTest {

    @Test
    void plainTextIsRefusedWithTheReason() {
        assertThat(PasswordHashes.problem("{noop}secret"))
                .isEqualTo("plain-text passwords ({noop}) are not allowed; store a {bcrypt} hash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret", "$2a$10$abcdefghijklmnopqrstuuOhH0cXZ3ILq5KDaSDnVX9CdS8yqYQW", "{}x", "{bcrypt",
            "bcrypt}x"})
    void valueWithoutAnAlgorithmPrefixIsRefused(String value) {
        assertThat(PasswordHashes.problem(value)).startsWith("must be a hash prefixed with its algorithm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{md5}x", "{MD4}x", "{ldap}x", "{sha1}x", "{BCRYPT}x"})
    void unknownAlgorithmIsRefusedNamingIt(String value) {
        String id = value.substring(1, value.indexOf('}'));
        assertThat(PasswordHashes.problem(value)).startsWith("unknown hash algorithm {" + id + "}");
    }

    @Test
    void emptyValueIsRefused() {
        assertThat(PasswordHashes.problem("")).isEqualTo("empty password hash");
        assertThat(PasswordHashes.problem("  ")).isEqualTo("empty password hash");
        assertThat(PasswordHashes.problem(null)).isEqualTo("empty password hash");
    }

    /** For each accepted id, a hash made the way that id means; Authenticator must verify it. */
    @Test
    void everyAcceptedAlgorithmVerifiesAtAuthTime() {
        @SuppressWarnings("deprecation")
        Map<String, PasswordEncoder> encoders = Map.of(
                "bcrypt", new BCryptPasswordEncoder(4),
                "pbkdf2", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_5(),
                "pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "scrypt", SCryptPasswordEncoder.defaultsForSpringSecurity_v4_1(),
                "scrypt@SpringSecurity_v5_8", SCryptPasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_2(),
                "argon2@SpringSecurity_v5_8", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "sha256", new org.springframework.security.crypto.password.StandardPasswordEncoder());
        encoders.forEach((id, encoder) -> {
            String configured = "{" + id + "}" + encoder.encode("s3cret");
            assertThat(PasswordHashes.problem(configured)).as(id).isNull();
            Authenticator authenticator = new Authenticator(Map.of("user", configured));
            assertThat(authenticator.authenticate("", "user", "s3cret")).as(id).isTrue();
            assertThat(authenticator.authenticate("", "user", "wrong")).as(id).isFalse();
        });
    }
}
