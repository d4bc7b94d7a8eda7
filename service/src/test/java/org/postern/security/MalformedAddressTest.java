package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.postern.testing.TestMailReceiver;

/**
 * The address tricks of old (source routes, {@code %} hacks, bang paths, quoted local parts holding
 * an {@code @}) and malformed paths (unbalanced quotes and brackets, bad address literals, overlong
 * parts), from a client that may relay. Malformed ones get {@code 501 5.1.7} (MAIL) or
 * {@code 501 5.1.3} (RCPT) and leave the transaction as it was; legal ones are relayed exactly as
 * written (a source route dropped, RFC 5321 Appendix C), never reinterpreted: {@code user%other@a}
 * and {@code "x@y"@a} go to {@code a}, not to {@code other} or {@code y}. (Basic syntax, the null
 * path, unqualified and non-ASCII addresses are {@code e2e.MalformedAddressScenarioTest}; the same
 * tricks from a client that may not relay are {@link OpenRelayTest}.)
 */
class MalformedAddressTest extends HostileInputBase {

    /** RCPT paths that are refused, each with a few words on why. */
    @ParameterizedTest(name = "RCPT TO:{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            <@:user@example.net>                         | empty source-route hop
            <@hop.example user@example.net>              | source route without its colon
            <@hop.example,user@example.net>              | source route without its colon
            <@hop..example:user@example.net>             | empty label in a hop
            <@[127.0.0.1]:user@example.net>              | address literal as a hop
            <@hop.example:>                              | source route to nothing
            <@example.net>                               | no local part
            <"a@example.net>                             | unbalanced quote
            <a"b@example.net>                            | quote inside an atom
            <"a\\"@example.net>                          | escaped closing quote
            <<a@example.net>                             | doubled opening bracket
            <a@example.net>>                             | doubled closing bracket
            <a@[127.0.0.1>                               | unclosed address literal
            <a@127.0.0.1]>                               | unopened address literal
            <a@[999.0.0.1]>                              | IPv4 literal out of range
            <a@[1.2.3]>                                  | IPv4 literal too short
            <a@[IPv6:zz::1]>                             | bad IPv6 literal
            <a@[x400:c=gb]>                              | general address literal
            <user@relay.example@victim.example>          | two @ outside quotes
            <user@>                                      | empty domain
            <user@.example.net>                          | domain starting with a dot
            <user@example.net.>                          | domain ending with a dot
            <user@exa_mple.net>                          | underscore in a domain
            <user@-example.net>                          | label starting with a hyphen
            <a b@example.net>                            | space in a local part
            <a(comment)@example.net>                     | comment in a path
            <a\\b@example.net>                           | backslash outside quotes
            <.a@example.net>                             | local part starting with a dot
            <a..b@example.net>                           | empty atom in a local part
            <"a\u0001"@example.net>                      | control character in a quoted string
            """)
    void malformedRecipientsAreSyntaxErrors(String path, String why) throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<sender@example.com>"), 250, "2.1.0");
            Reply refused = client.command("RCPT TO:" + path);
            assertReply(refused, 501, "5.1.3");
            // The transaction is unharmed: a good recipient is still accepted.
            assertReply(client.command("RCPT TO:<fine@example.net>"), 250, "2.1.5");
            assertReply(client.command("RSET"), 250, "2.0.0");
        }
    }

    @ParameterizedTest(name = "MAIL FROM:{0}")
    @CsvSource(delimiter = '|', textBlock = """
            <"a@example.com>
            <@:user@example.com>
            <user@sender.example@victim.example>
            <a@[999.0.0.1]>
            <user@example.com.>
            """)
    void malformedSendersAreSyntaxErrors(String path) throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:" + path), 501, "5.1.7");
            assertReply(client.command("MAIL FROM:<fine@example.com>"), 250, "2.1.0");
        }
    }

    @Test
    void overlongLocalPartsDomainsAndPathsAreRefused() throws Exception {
        String label63 = "d".repeat(63);
        String domain250 = String.join(".", label63, label63, label63, "e".repeat(58)); // 250 octets
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<sender@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<" + "l".repeat(64) + "@example.net>"), 250, "2.1.5");
            assertReply(client.command("RCPT TO:<" + "l".repeat(65) + "@example.net>"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<\"" + "q".repeat(63) + "\"@example.net>"), 501, "5.1.3");
            assertReply(client.command("RCPT TO:<a@" + label63 + ".example>"), 250, "2.1.5");
            assertReply(client.command("RCPT TO:<a@" + label63 + "d.example>"), 501, "5.1.3"); // 64-octet label
            assertReply(client.command("RCPT TO:<a@" + domain250 + ">"), 250, "2.1.5");
            assertReply(client.command("RCPT TO:<abcd@" + domain250 + ".example>"), 501, "5.1.3"); // path > 256
            assertReply(client.command("RCPT TO:<a@" + (label63 + ".").repeat(5) + "example>"), 501, "5.1.3");
            assertReply(client.command("RSET"), 250, "2.0.0");
        }
    }

    /**
     * The tricks that are legal addresses are relayed as written, in one transaction to the next
     * hop: nothing is rerouted to the host hidden in the local part or the source route.
     */
    @Test
    void legalTricksAreRelayedExactlyAsWritten() throws Exception {
        String marker = "tricks-" + UUID.randomUUID();
        List<String[]> tricks = List.of(
                new String[] {"<@hop1.example,@hop2.example:route@example.net>", "route@example.net"},
                new String[] {"<percent%victim.example@example.net>", "percent%victim.example@example.net"},
                new String[] {"<victim.example!bang@example.net>", "victim.example!bang@example.net"},
                new String[] {"<\"quoted@victim.example\"@example.net>", "\"quoted@victim.example\"@example.net"},
                new String[] {"<\"a b\\\"c\"@example.net>", "\"a b\\\"c\"@example.net"},
                new String[] {"<literal@[127.0.0.1]>", "literal@[127.0.0.1]"},
                new String[] {"<literal6@[IPv6:::1]>", "literal6@[ipv6:::1]"},
                new String[] {"<UPPER@EXAMPLE.NET>", "upper@example.net"});
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<tricks@example.com>"), 250, "2.1.0");
            for (String[] trick : tricks) {
                assertReply(client.command("RCPT TO:" + trick[0]), 250, "2.1.5");
            }
            assertReply(client.command("DATA"), 354, null);
            client.send("Subject: " + marker + "\r\n\r\nbody\r\n.\r\n");
            assertReply(client.read(), 250, "2.0.0");
        }
        TestMailReceiver.await(Duration.ofSeconds(30), () -> receiver.messages().stream()
                .anyMatch(m -> m.text().contains(marker)), "delivery of " + marker);
        List<TestMailReceiver.Message> delivered = receiver.messages().stream()
                .filter(m -> m.text().contains(marker)).toList();
        assertThat(delivered).as("one message, one transaction").hasSize(1);
        assertThat(delivered.get(0).rcptTo()).containsExactlyElementsOf(tricks.stream().map(t -> t[1]).toList());
    }

    @Test
    void unqualifiedTricksAreRefusedAsUnqualified() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("MAIL FROM:<sender@example.com>"), 250, "2.1.0");
            assertReply(client.command("RCPT TO:<victim.example!user>"), 553, "5.1.3");
            assertReply(client.command("RCPT TO:<user%victim.example>"), 553, "5.1.3");
            assertReply(client.command("RCPT TO:<\"user@victim.example\">"), 553, "5.1.3");
            assertReply(client.command("RCPT TO:<@hop.example:user>"), 553, "5.1.3");
            assertReply(client.command("RSET"), 250, "2.0.0");
        }
    }
}
