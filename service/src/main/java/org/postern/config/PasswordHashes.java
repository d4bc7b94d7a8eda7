package org.postern.config;

import java.util.Set;

/** Checks that a configured password is a hash Spring Security's delegating encoder can verify. */
final class PasswordHashes {
    private static final Set<String> SUPPORTED = Set.of("bcrypt", "pbkdf2", "pbkdf2@SpringSecurity_v5_8",
            "scrypt", "scrypt@SpringSecurity_v5_8", "argon2", "argon2@SpringSecurity_v5_8", "sha256");

    private PasswordHashes() {
    }

    /** Why the value is not an acceptable hash, or null when it is. */
    static String problem(String hash) {
        if (hash == null || hash.isBlank()) {
            return "empty password hash";
        }
        if (!hash.startsWith("{") || hash.indexOf('}') < 2) {
            return "must be a hash prefixed with its algorithm, e.g. {bcrypt}$2a$10$...";
        }
        String id = hash.substring(1, hash.indexOf('}'));
        if (id.equals("noop")) {
            return "plain-text passwords ({noop}) are not allowed; store a {bcrypt} hash";
        }
        if (!SUPPORTED.contains(id)) {
            return "unknown hash algorithm {" + id + "} (use " + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")";
        }
        return null;
    }
}
