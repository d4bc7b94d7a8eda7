package org.postern.smtp.client;

import java.util.Objects;

/** A user name and password for AUTH PLAIN or LOGIN (RFC 4954) at the next hop. Never printed. */
public record ClientCredentials(String username, String password) {

    public ClientCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "ClientCredentials[username=" + username + ", password=***]";
    }
}
