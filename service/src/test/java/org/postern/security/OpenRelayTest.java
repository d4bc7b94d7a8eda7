package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.smtp.Envelope;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.test.context.TestPropertySource;

/**
 * No open relay, whatever the address trick: with {@code postern.policy.relay-networks=127.0.0.1/32}
 * a client on 127.0.0.2 is refused every recipient ({@code 550 5.7.1}, or {@code 501}/{@code 553}
 * when the trick is not even an address): percent hack, bang path, source route, quoted {@code @},
 * {@code user@relay@target}, address literals of the relay itself, upper case and trailing dots, the
 * relay's own host name. Also with spoofed greetings, an XCLIENT attempt, AUTH (not offered: no
 * users), pipelining, BDAT, and swaks as an independent client. Nothing from 127.0.0.2 is ever
 * queued or delivered; 127.0.0.1 still relays (the health check after each test).
 */
@TestPropertySource(properties = "postern.policy.relay-networks=127.0.0.1/32")
class OpenRelayTest extends HostileInputBase {

    static final String OUTSIDER = "127.0.0.2";
    private static final Path SWAKS = Path.of("/usr/bin/swaks");

    @TempDir
    Path temp;

    @AfterEach
    void nothingFromTheOutsider() throws Exception {
        for (Envelope e : spooledEnvelopes()) {
            assertThat(e.clientAddress()).as("client of a spooled message").isNotEqualTo(OUTSIDER);
        }
        assertThat(receiver.messages()).noneMatch(m -> m.text().contains("from outside.test"));
        assertNothingFrom("spammer@example.com");
    }

    @ParameterizedTest(name = "RCPT TO:{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            <victim@example.net>                          | 550 | 5.7.1
            <user%victim.example@relay.test>              | 550 | 5.7.1
            <user%victim.example@[127.0.0.1]>             | 550 | 5.7.1
            <victim.example!user@relay.test>              | 550 | 5.7.1
            <relay.test!victim.example!user>              | 553 | 5.1.3
            <@relay.test:user@victim.example>             | 550 | 5.7.1
            <@relay.test,@other.example:user@victim.example> | 550 | 5.7.1
            <"user@victim.example"@relay.test>            | 550 | 5.7.1
            <"user%victim.example"@relay.test>            | 550 | 5.7.1
            <user@victim.example@relay.test>              | 501 | 5.1.3
            <user@relay.test@victim.example>              | 501 | 5.1.3
            <user@[127.0.0.1]>                            | 550 | 5.7.1
            <user@[127.0.0.2]>                            | 550 | 5.7.1
            <user@[IPv6:::1]>                             | 550 | 5.7.1
            <postmaster@relay.test>                       | 550 | 5.7.1
            <postmaster@[127.0.0.1]>                      | 550 | 5.7.1
            <user@localhost>                              | 550 | 5.7.1
            <USER@VICTIM.EXAMPLE>                         | 550 | 5.7.1
            <user@VICTIM.example.>                        | 501 | 5.1.3
            <user@relay.test.>                            | 501 | 5.1.3
            <postmaster>                                  | 553 | 5.1.3
            <victim@example.net> NOTIFY=NEVER             | 550 | 5.7.1
            victim@example.net                            | 501 | 5.1.3
            """)
    void everyAddressTrickIsRefused(String path, int code, String enhanced) throws Exception {
        try (SmtpTestClient client = outsider()) {
            assertReply(client.command("MAIL FROM:<spammer@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:" + path), code, enhanced);
            assertReply(client.command("DATA"), 503, "5.5.1");
            client.send("BDAT 5 LAST\r\nhello");
            assertReply(client.read(), 503, "5.5.1");
        }
    }

    @Test
    void spoofedIdentitiesChangeNothing() throws Exception {
        for (String helo : List.of("localhost", "[127.0.0.1]", "relay.test")) {
            try (SmtpTestClient client = SmtpTestClient.connectFrom(OUTSIDER, smtpPort())) {
                assertThat(client.greeting().code()).isEqualTo(220);
                assertReply(client.ehlo(helo), 250, null);
                // Postfix's XCLIENT/XFORWARD would let a trusted proxy claim another client address.
                assertReply(client.command("XCLIENT ADDR=127.0.0.1 NAME=localhost"), 500, "5.5.2");
                assertReply(client.command("XFORWARD ADDR=127.0.0.1"), 500, "5.5.2");
                // AUTH is not offered (no users are configured).
                assertReply(client.command("AUTH PLAIN AHVzZXIAcGFzcw=="), 502, "5.5.1");
                assertReply(client.command("MAIL FROM:<spammer@example.com> AUTH=<>"), 250, "2.1.0");
                assertReply(client.command("RCPT TO:<victim@example.net>"), 550, "5.7.1");
            }
        }
    }

    @Test
    void nullSenderAndRsetDoNotOpenTheRelay() throws Exception {
        try (SmtpTestClient client = outsider()) {
            assertReply(client.command("MAIL FROM:<>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<victim@example.net>"), 550, "5.7.1");
            assertReply(client.command("RSET"), 250, "2.0.0");
            assertReply(client.command("MAIL FROM:<postmaster@relay.test>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<victim@example.net>"), 550, "5.7.1");
        }
    }

    @Test
    void aPipelinedSpamRunIsRefusedAndItsContentNeverBecomesAMessage() throws Exception {
        try (SmtpTestClient client = outsider()) {
            StringBuilder batch = new StringBuilder("MAIL FROM:<spammer@example.com>\r\n");
            for (String rcpt : List.of("a@victim.example", "b%victim.example@relay.test", "\"c@victim.example\"@relay.test")) {
                batch.append("RCPT TO:<").append(rcpt).append(">\r\n");
            }
            batch.append("DATA\r\nSubject: spam\r\n\r\nbuy now\r\n.\r\nQUIT\r\n");
            client.send(batch.toString());
            assertReply(client.read(), 250, "2.1.0");
            for (int i = 0; i < 3; i++) {
                assertReply(client.read(), 550, "5.7.1");
            }
            assertReply(client.read(), 503, "5.5.1");
            // The content is read as commands, each refused; the session ends by max-errors or QUIT.
            String rest = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertThat(rest).doesNotContain("250 2.0.0 OK queued").doesNotContain("354");
        }
    }

    @Test
    void swaksFromOutsideIsRefusedForEachTrick() throws Exception {
        assumeTrue(Files.isExecutable(SWAKS), "swaks is not installed");
        for (String to : List.of("victim@example.net", "user%victim.example@relay.test",
                "\"user@victim.example\"@relay.test", "@relay.test:user@victim.example")) {
            Result result = swaks(to);
            assertThat(result.exitCode()).as("swaks --to %s:%n%s", to, result.output()).isNotZero();
            assertThat(result.output()).as("swaks --to %s", to).contains("550 5.7.1 Relaying denied");
        }
        // The same tool from inside the relay networks relays: the refusals above are the policy.
        Result inside = swaksFrom("127.0.0.1", "friend@example.net");
        assertThat(inside.exitCode()).as(inside.output()).isZero();
        assertThat(inside.output()).contains("250 2.0.0 OK queued as");
    }

    private SmtpTestClient outsider() throws IOException {
        SmtpTestClient client = SmtpTestClient.connectFrom(OUTSIDER, smtpPort());
        assertThat(client.greeting().code()).isEqualTo(220);
        assertReply(client.ehlo("outside.test"), 250, null);
        return client;
    }

    private Result swaks(String to) throws IOException, InterruptedException {
        return swaksFrom(OUTSIDER, to);
    }

    private Result swaksFrom(String local, String to) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1",
                "--port", String.valueOf(smtpPort()), "--local-interface", local, "--from", "spammer@example.com",
                "--to", to, "--ehlo", "outside.test", "--timeout", "20"));
        if (local.equals("127.0.0.1")) {
            command.set(command.indexOf("spammer@example.com"), "insider@example.com");
            command.set(command.indexOf("outside.test"), "inside.test");
        }
        Path output = Files.createTempFile(temp, "swaks", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish in 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
    }

    private record Result(int exitCode, String output) {
    }
}
