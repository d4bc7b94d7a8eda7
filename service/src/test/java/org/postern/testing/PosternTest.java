package org.postern.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.postern.smtp.Envelope;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole application, with its SMTP listener on a free loopback
 * port, HTTP on a free port, and a spool in a fresh temporary directory per application context.
 * Subclasses add properties with {@code @TestPropertySource(properties = ...)} (merged with these),
 * or with {@code @DynamicPropertySource} for computed values. Not with their own {@code @SpringBootTest}:
 * it replaces this one whole, so the listener would fall back to port 2525 and the web environment
 * to MOCK.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "postern.hostname=relay.test",
        "postern.daemon-ports[0].name=MTA",
        "postern.daemon-ports[0].addr=127.0.0.1",
        "postern.daemon-ports[0].port=0",
        // Delivery never leaves loopback: unless a test routes mail itself, it waits in the queue
        // for a next hop on a port where nothing listens (tcpmux), and DNS goes nowhere either.
        "postern.routing.smart-host=[127.0.0.1]:1",
        "postern.dns.servers=127.0.0.1:1",
        "postern.dns.timeout=500ms",
        // Cached contexts are closed at the test JVM's exit, each with a graceful drain; messages
        // waiting for that unreachable next hop kept each drain for half its 30 s, and the exit ran
        // past surefire's 30 s limit. The drain itself has its own scenarios (DrainScenarioTest).
        "postern.drain.timeout=2s",
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

    /** The queue ids now in the spool. */
    protected Set<String> queued() throws IOException {
        return new HashSet<>(spool.queueIds());
    }

    /** The envelopes of every message now in the spool. */
    protected List<Envelope> envelopes() throws IOException {
        List<Envelope> all = new ArrayList<>();
        for (String id : spool.queueIds()) {
            all.add(spool.read(id).envelope());
        }
        return all;
    }

    /** A stored message's content, byte for byte, as ISO-8859-1 text (one char per byte). */
    protected String content(String queueId) throws IOException {
        try (InputStream in = spool.openContent(queueId)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A stored message's content without the Received header Postern prepends: exactly what the
     * client's content became (as ISO-8859-1 text, one char per byte).
     */
    protected String clientContent(String queueId) throws IOException {
        String all = content(queueId);
        if (!all.startsWith("Received: ")) {
            throw new AssertionError("stored content does not start with Received: " + all);
        }
        int end = 0;
        do {
            end = all.indexOf("\r\n", end) + 2;
        } while (end < all.length() && all.charAt(end) == '\t');
        return all.substring(end);
    }

    /** The files in the spool's tmp/ directory: messages being written, or left behind. */
    protected List<Path> spoolTmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool.directory().resolve("tmp"))) {
            return files.toList();
        }
    }

    /** Waits (up to 5 s) until the server has closed every session, e.g. those of an earlier test. */
    protected void awaitNoSessions() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (smtpServer.activeSessions() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(smtpServer.activeSessions() + " SMTP sessions still open");
            }
            Thread.sleep(10);
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

    /** Sends one message in its own session; asserts the 250 and returns the queue id. */
    protected String send(String from, List<String> to, String content) throws IOException {
        try (SmtpTestClient client = connectEhlo()) {
            SmtpTestClient.Reply queued = client.sendMessage(from, to, content);
            if (queued.code() != 250) {
                throw new AssertionError("message not accepted: " + queued);
            }
            return SmtpTestClient.queueId(queued);
        }
    }

    /** Waits until the message has left the spool (delivered or bounced, and removed). */
    protected void awaitRemoved(String queueId, java.time.Duration timeout) throws Exception {
        TestMailReceiver.await(timeout, () -> {
            try {
                return !spool.queueIds().contains(queueId);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, queueId + " to leave the spool");
    }

    /** Waits until the queue has finished at least {@code attempts} attempts of the message. */
    protected void awaitAttempts(String queueId, int attempts, java.time.Duration timeout) throws Exception {
        TestMailReceiver.await(timeout, () -> {
            try {
                return spool.read(queueId).schedule().attempts() >= attempts;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, queueId + " to be attempted " + attempts + " times");
    }
}
