package org.postern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.smtp.SmtpReply;

/** sendmail's mailertable / SMART_HOST right-hand sides: every form, and what is refused. */
class RouteParserTest {

    private static Route parse(String spec) {
        return RouteParser.parse(spec, "relay");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // spec                          | mailer | host             | port | mx
            "smtp.example.net                | relay  | smtp.example.net | 0    | true",
            "Smtp.Example.NET.               | relay  | smtp.example.net | 0    | true",
            "smtp.example.net:2525           | relay  | smtp.example.net | 2525 | true",
            "[smtp.example.net]              | relay  | smtp.example.net | 0    | false",
            "[smtp.example.net]:587          | relay  | smtp.example.net | 587  | false",
            "relay:[smtp.example.net]:587    | relay  | smtp.example.net | 587  | false",
            "esmtp:mx.example.org            | esmtp  | mx.example.org   | 0    | true",
            "esmtp:mx.example.org:26         | esmtp  | mx.example.org   | 26   | true",
            "smtp:[gateway.domain]           | smtp   | gateway.domain   | 0    | false",
            "[127.0.0.1]                     | relay  | 127.0.0.1        | 0    | false",
            "[127.0.0.1]:2525                | relay  | 127.0.0.1        | 2525 | false",
            "127.0.0.1                       | relay  | 127.0.0.1        | 0    | false",
            "127.0.0.1:2525                  | relay  | 127.0.0.1        | 2525 | false",
            "[IPv6:::1]:2525                 | relay  | ::1              | 2525 | false",
            "[ipv6:::1]                      | relay  | ::1              | 0    | false",
            "[::1]                           | relay  | ::1              | 0    | false",
            "esmtp:[::1]:25                  | esmtp  | ::1              | 25   | false",
            "' esmtp:mx.example.org '        | esmtp  | mx.example.org   | 0    | true",
            "mail_relay-2:host.internal      | mail_relay-2 | host.internal | 0 | true"})
    void parsesRelayRoutes(String spec, String mailer, String host, int port, boolean mx) {
        assertThat(parse(spec)).isEqualTo(new Route.Relay(mailer, host, port, mx));
    }

    @Test
    void aMailerWithoutHostMeansTheRecipientsDomainByMx() {
        assertThat(parse("esmtp:")).isEqualTo(new Route.Relay("esmtp", null, 0, true));
        assertThat(RouteParser.parse("mx.example.org", "esmtp")).isEqualTo(new Route.Relay("esmtp", "mx.example.org", 0, true));
    }

    @Test
    void digitsAfterTheColonAreAPortOtherwiseAMailer() {
        assertThat(parse("esmtp:25")).isEqualTo(new Route.Relay("relay", "esmtp", 25, true));
        assertThat(parse("esmtp:host")).isEqualTo(new Route.Relay("esmtp", "host", 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "error:5.7.1:550 Relaying to this domain is closed | 550 | 5.7.1 | Relaying to this domain is closed",
            "error:4.7.1:451 Try later                        | 451 | 4.7.1 | Try later",
            "error:5.1.1:User unknown                         | 550 | 5.1.1 | User unknown",
            "error:4.2.0:Mailbox busy                         | 451 | 4.2.0 | Mailbox busy",
            "error:550 No mail for you                        | 550 | 5.0.0 | No mail for you",
            "error:421 Service not available                  | 421 | 4.0.0 | Service not available",
            "error:550                                        | 550 | 5.0.0 | Recipient rejected",
            "error:5.7.1:550                                  | 550 | 5.7.1 | Recipient rejected",
            "ERROR:5.7.1:554 Denied                           | 554 | 5.7.1 | Denied"})
    void parsesErrorRoutes(String spec, int code, String status, String text) {
        assertThat(parse(spec)).isEqualTo(new Route.Error(SmtpReply.of(code, status, text)));
    }

    @Test
    void parsesDiscard() {
        assertThat(parse("discard:")).isEqualTo(new Route.Discard());
        assertThat(parse("discard:discard")).isEqualTo(new Route.Discard());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                        | empty route",
            "'   '                     | empty route",
            "local:                    | delivers on this host",
            "local:fred                | delivers on this host",
            "prog:/usr/bin/procmail    | delivers on this host",
            "error:5.1.1 User unknown  | needs a reply code",
            "error:User unknown        | needs a reply code",
            "error:nouser:No such user | needs a reply code",
            "error:250 OK              | not 4xx or 5xx",
            "error:5.7.1:451 Mixed     | disagree",
            "error:4.7.1:550 Mixed     | disagree",
            "[smtp.example.net         | no closing ']'",
            "[smtp.example.net]x       | only ':port'",
            "[smtp.example.net]:       | must be a number",
            "[smtp.example.net]:abc    | must be a number",
            "smtp.example.net:0        | not 1..65535",
            "smtp.example.net:65536    | not 1..65535",
            "smtp.example.net:99999999 | must be a number",
            "smtp.example.net:abc      | the port after ':' must be a number",
            "::1                       | in brackets",
            "esmtp:::1                 | in brackets",
            "[IPv6:nonsense]           | not an IP address",
            "[1.2.3]                   | not an IP address",
            "999.1.1.1                 | not an IP address",
            "esmtp:%1.example.com      | %1 substitution",
            "esmtp:user@example.com    | user@host",
            "-bad:host                 | not a mailer name",
            "esmtp:bad..host           | empty label",
            "esmtp:bad_host!           | bad label",
            "esmtp:-bad.example        | bad label"})
    void rejectsWithAReason(String spec, String reason) {
        assertThatThrownBy(() -> parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining(spec.isBlank() ? "empty" : "'" + spec.trim());
    }

    @Test
    void aBadDefaultMailerIsRefused() {
        assertThatThrownBy(() -> RouteParser.parse("host", "not a mailer")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesAWholeTableNamingTheBadKey() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("example.com", "esmtp:[mx.example.com]");
        entries.put(".example.org", "error:5.7.1:550 closed");
        DomainTable<Route> table = RouteParser.parseTable(entries, "esmtp");
        assertThat(table.lookup("example.com")).contains(new Route.Relay("esmtp", "mx.example.com", 0, false));
        assertThat(table.lookup("a.example.org")).contains(new Route.Error(SmtpReply.of(550, "5.7.1", "closed")));

        entries.put("bad.example", "local:fred");
        assertThatThrownBy(() -> RouteParser.parseTable(entries, "esmtp"))
                .hasMessageStartingWith("route for 'bad.example': ");
    }

    @Test
    void relayRoutesPrintInSendmailSyntax() {
        assertThat(parse("esmtp:[smtp.example.net]:587")).hasToString("esmtp:[smtp.example.net]:587");
        assertThat(parse("mx.example.org")).hasToString("relay:mx.example.org");
        assertThat(parse("[IPv6:::1]:2525")).hasToString("relay:[IPv6:::1]:2525");
        assertThat(parse("esmtp:")).hasToString("esmtp:");
    }
}
