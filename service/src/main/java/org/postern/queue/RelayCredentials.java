package org.postern.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postern.smtp.client.ClientCredentials;

/**
 * AUTH credentials for one next hop. A password file is read at each connection so that a rotated
 * Kubernetes Secret takes effect without a restart.
 */
public record RelayCredentials(String username, String password, Path passwordFile, boolean allowWithoutTls) {

    ClientCredentials resolve() throws IOException {
        String secret = password;
        if (passwordFile != null) {
            secret = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        }
        return new ClientCredentials(username, secret);
    }

    @Override
    public String toString() {
        return "RelayCredentials[username=" + username + ", passwordFile=" + passwordFile + "]";
    }
}
