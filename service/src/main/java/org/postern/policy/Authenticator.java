package org.postern.policy;

import java.util.Map;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks SMTP AUTH credentials against configured password hashes. Unknown users still cost one
 * hash comparison, so response time does not reveal which user names exist.
 */
public final class Authenticator {
    private final Map<String, String> users;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final String decoyHash;

    public Authenticator(Map<String, String> users) {
        this.users = Map.copyOf(users);
        this.decoyHash = encoder.encode("postern-decoy-password");
    }

    public boolean hasUsers() {
        return !users.isEmpty();
    }

    /**
     * @param authorizationId the identity to act as (empty means the same as {@code user}); Postern
     *                        does not let one user act as another
     * @return true when the password matches and the authorization identity is the user's own
     */
    public boolean authenticate(String authorizationId, String user, String password) {
        String hash = users.get(user);
        boolean matches = encoder.matches(password, hash != null ? hash : decoyHash);
        boolean ownIdentity = authorizationId == null || authorizationId.isEmpty() || authorizationId.equals(user);
        return hash != null && matches && ownIdentity;
    }
}
