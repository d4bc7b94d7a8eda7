package org.postern.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder.BCryptVersion;

/** SMTP AUTH credentials against configured hashes: right password only, own identity only, no user enumeration shortcut. */
class AuthenticatorTest {

    static Authenticator authenticator;

    @BeforeAll
    static void users() {
        // Cost 4 keeps the test fast; the $2y$ form is what htpasswd -B writes, as docs/configuration.md suggests.
        authenticator = new Authenticator(Map.of(
                "alice", "{bcrypt}" + new BCryptPasswordEncoder(4).encode("alice's secret"),
                "bob", "{bcrypt}" + new BCryptPasswordEncoder(BCryptVersion.$2Y, 4).encode("bob's secret")));
    }

    @Test
    void rightPasswordAuthenticates() {
        assertThat(authenticator.hasUsers()).isTrue();
        assertThat(authenticator.authenticate(null, "alice", "alice's secret")).isTrue();
        assertThat(authenticator.authenticate("", "alice", "alice's secret")).isTrue();
        assertThat(authenticator.authenticate("alice", "alice", "alice's secret")).isTrue();
        assertThat(authenticator.authenticate("", "bob", "bob's secret")).as("htpasswd $2y$ hash").isTrue();
    }

    @Test
    void wrongPasswordIsRefused() {
        assertThat(authenticator.authenticate("", "alice", "alice's secreT")).isFalse();
        assertThat(authenticator.authenticate("", "alice", "")).isFalse();
        assertThat(authenticator.authenticate("", "alice", "bob's secret")).as("another user's password").isFalse();
    }

    @Test
    void unknownUserIsRefusedWhateverThePassword() {
        assertThat(authenticator.authenticate("", "mallory", "alice's secret")).isFalse();
        assertThat(authenticator.authenticate("", "Alice", "alice's secret")).as("user names are exact").isFalse();
        // The decoy hash compared for unknown users must never let one in, not even with its own password.
        assertThat(authenticator.authenticate("", "mallory", "postern-decoy-password")).isFalse();
        assertThat(authenticator.authenticate("", "", "postern-decoy-password")).isFalse();
    }

    @Test
    void authorizationIdentityOfAnotherUserIsRefused() {
        assertThat(authenticator.authenticate("bob", "alice", "alice's secret")).isFalse();
        assertThat(authenticator.authenticate("admin", "alice", "alice's secret")).isFalse();
        assertThat(authenticator.authenticate("ALICE", "alice", "alice's secret")).isFalse();
    }

    @Test
    void noUsersMeansNoAuth() {
        Authenticator none = new Authenticator(Map.of());
        assertThat(none.hasUsers()).isFalse();
        assertThat(none.authenticate("", "alice", "alice's secret")).isFalse();
    }
}
