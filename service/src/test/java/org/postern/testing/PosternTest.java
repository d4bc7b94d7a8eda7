package org.postern.testing;

import java.nio.file.Files;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole application, with its SMTP listener on a free loopback
 * port, HTTP on a free port, and a spool in a fresh temporary directory per application context.
 * Subclasses add properties with {@code @SpringBootTest(properties = ...)} or {@code @TestPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "postern.hostname=relay.test",
        "postern.daemon-ports[0].name=MTA",
        "postern.daemon-ports[0].addr=127.0.0.1",
        "postern.daemon-ports[0].port=0",
})
public abstract class PosternTest {

    @Autowired
    protected SmtpServer smtpServer;

    @Autowired
    protected Spool spool;

    @DynamicPropertySource
    static void spoolDirectory(DynamicPropertyRegistry registry) {
        // A fresh directory per application context (contexts are cached and shared between classes).
        registry.add("postern.spool.directory", PosternTest::freshSpoolDirectory);
    }

    private static String freshSpoolDirectory() {
        try {
            return Files.createTempDirectory("postern-spool").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected int smtpPort() {
        return smtpServer.localPort("MTA");
    }

    protected SmtpTestClient connect() throws java.io.IOException {
        return SmtpTestClient.connect(smtpPort());
    }

    /** Connects and says EHLO; asserts the greeting and EHLO were accepted. */
    protected SmtpTestClient connectEhlo() throws java.io.IOException {
        SmtpTestClient client = connect();
        SmtpTestClient.Reply greeting = client.greeting();
        if (greeting.code() != 220) {
            throw new AssertionError("greeting: " + greeting);
        }
        SmtpTestClient.Reply ehlo = client.ehlo("client.test");
        if (ehlo.code() != 250) {
            throw new AssertionError("EHLO: " + ehlo);
        }
        return client;
    }
}
