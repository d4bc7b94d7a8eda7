package org.postern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.postern.dns.DnsLookupException;
import org.postern.dns.DnsLookupListener;
import org.postern.dns.DnsSettings;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.MailExchanger;
import org.postern.dns.MailResolver;
import org.postern.smtp.AddressFamily;
import org.postern.testing.LoopbackDnsServer;

/** From a route to the addresses to try: MX order, families, and which failure is permanent. */
class NextHopResolverTest {

    private static final Set<AddressFamily> BOTH = Set.of(AddressFamily.INET, AddressFamily.INET6);
    private static final Route.Relay DIRECT = new Route.Relay("esmtp", null, 0, true);

    /** Answers from maps; a missing entry is NXDOMAIN. Records what was asked. */
    private static final class FakeResolver implements MailResolver {
        final Map<String, Object> mx = new HashMap<>();
        final Map<String, Object> hosts = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        FakeResolver mx(String domain, MailExchanger... exchangers) {
            mx.put(domain, List.of(exchangers));
            return this;
        }

        FakeResolver host(String host, String... addresses) {
            List<InetAddress> list = new ArrayList<>();
            for (String a : addresses) {
                list.add(ip(a));
            }
            hosts.put(host, list);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<MailExchanger> mailExchangers(String domain) throws DnsLookupException {
            asked.add("MX " + domain);
            Object answer = mx.getOrDefault(domain, DnsLookupException.permanent("5.1.2", "Domain not found"));
            if (answer instanceof DnsLookupException e) {
                throw e;
            }
            return (List<MailExchanger>) answer;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<InetAddress> addresses(String host) throws DnsLookupException {
            asked.add("A/AAAA " + host);
            Object answer = hosts.getOrDefault(host, DnsLookupException.permanent("5.1.2", "Host not found"));
            if (answer instanceof DnsLookupException e) {
                throw e;
            }
            return (List<InetAddress>) answer;
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static MailExchanger mx(String host, int preference) {
        return new MailExchanger(host, preference, false);
    }

    private static DnsLookupException temporary() {
        return DnsLookupException.temporary("4.4.3", "DNS lookup failed, will retry");
    }

    @Test
    void expandsExchangersInOrderKeepingEachHostsAddresses() throws Exception {
        FakeResolver dns = new FakeResolver()
                .mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20))
                .host("a.example.test", "127.0.0.1", "::1")
                .host("b.example.test", "127.0.0.2");

        assertThat(new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "example.test")).containsExactly(
                new NextHop("a.example.test", ip("127.0.0.1"), 25, 10),
                new NextHop("a.example.test", ip("::1"), 25, 10),
                new NextHop("b.example.test", ip("127.0.0.2"), 25, 20));
    }

    @Test
    void thePreferredFamilyComesFirstWithinEachHostOnly() throws Exception {
        FakeResolver dns = new FakeResolver()
                .mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20))
                .host("a.example.test", "127.0.0.1", "::1")
                .host("b.example.test", "127.0.0.2", "::2");

        assertThat(new NextHopResolver(dns, 25, AddressFamily.INET6, BOTH).resolve(DIRECT, "example.test"))
                .extracting(h -> h.address().getHostAddress())
                .containsExactly("0:0:0:0:0:0:0:1", "127.0.0.1", "0:0:0:0:0:0:0:2", "127.0.0.2");
    }

    @Test
    void familiesNotAllowedAreLeftOut() throws Exception {
        FakeResolver dns = new FakeResolver().mx("example.test", mx("a.example.test", 10)).host("a.example.test", "127.0.0.1", "::1");

        assertThat(new NextHopResolver(dns, 25, null, Set.of(AddressFamily.INET)).resolve(DIRECT, "example.test"))
                .extracting(NextHop::address).containsExactly(ip("127.0.0.1"));
    }

    @Test
    void noAddressInAnAllowedFamilyIsTemporary() {
        FakeResolver dns = new FakeResolver().mx("example.test", mx("a.example.test", 10)).host("a.example.test", "::1");

        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, Set.of(AddressFamily.INET)).resolve(DIRECT, "example.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.enhancedStatus()).isEqualTo("4.4.4");
                });
    }

    @Test
    void aRoutePortOverridesTheDefaultAndAnAddressIsUsedOnce() throws Exception {
        FakeResolver dns = new FakeResolver()
                .mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20))
                .host("a.example.test", "127.0.0.1").host("b.example.test", "127.0.0.1");

        assertThat(new NextHopResolver(dns, 25, null, BOTH).resolve(new Route.Relay("esmtp", null, 2525, true), "example.test"))
                .containsExactly(new NextHop("a.example.test", ip("127.0.0.1"), 2525, 10));
    }

    @Test
    void withoutMxLookupOnlyTheHostsAddressesAreUsed() throws Exception {
        FakeResolver dns = new FakeResolver().host("smart.test", "127.0.0.9");

        assertThat(new NextHopResolver(dns, 25, null, BOTH).resolve(new Route.Relay("relay", "smart.test", 587, false), "example.test"))
                .containsExactly(new NextHop("smart.test", ip("127.0.0.9"), 587, 0));
        assertThat(dns.asked).containsExactly("A/AAAA smart.test");
    }

    @Test
    void anAddressNeedsNoDns() throws Exception {
        FakeResolver dns = new FakeResolver();
        NextHopResolver resolver = new NextHopResolver(dns, 25, null, BOTH);

        assertThat(resolver.resolve(new Route.Relay("esmtp", "::1", 2525, false), "x.test"))
                .containsExactly(new NextHop("::1", ip("::1"), 2525, 0));
        assertThat(dns.asked).isEmpty();
        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, Set.of(AddressFamily.INET))
                .resolve(new Route.Relay("esmtp", "::1", 0, false), "x.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void theRecipientDomainsPermanentFailuresStayPermanent() {
        FakeResolver dns = new FakeResolver();
        dns.mx.put("nomail.test", DnsLookupException.permanent("5.1.10", "Domain does not accept mail (null MX)"));
        NextHopResolver resolver = new NextHopResolver(dns, 25, null, BOTH);

        assertThatThrownBy(() -> resolver.resolve(DIRECT, "nowhere.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.enhancedStatus()).isEqualTo("5.1.2"));
        assertThatThrownBy(() -> resolver.resolve(DIRECT, "nomail.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.enhancedStatus()).isEqualTo("5.1.10"));
    }

    @Test
    void aConfiguredHostThatDoesNotResolveIsTemporary() {
        FakeResolver dns = new FakeResolver();
        dns.mx("smart-mx.test", mx("gone.smart-mx.test", 10));
        NextHopResolver resolver = new NextHopResolver(dns, 25, null, BOTH);

        for (Route.Relay typo : List.of(new Route.Relay("relay", "smart.typo.test", 0, false),
                new Route.Relay("relay", "smart.typo.test", 0, true),
                new Route.Relay("relay", "smart-mx.test", 0, true))) {
            assertThatThrownBy(() -> resolver.resolve(typo, "example.test"))
                    .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                        assertThat(e.permanent()).as(typo.toString()).isFalse();
                        assertThat(e.enhancedStatus()).isEqualTo("4.4.4");
                        assertThat(e.getMessage()).doesNotContain("typo").doesNotContain("smart-mx");
                    });
        }
    }

    @Test
    void whenEveryExchangerFailsPermanentlyItIs544() {
        FakeResolver dns = new FakeResolver().mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20));

        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "example.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.4.4");
                });
    }

    @Test
    void whenEveryExchangerFailsAndOneFailureIsTemporaryItIsTemporary() {
        FakeResolver dns = new FakeResolver().mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20));
        dns.hosts.put("b.example.test", temporary());

        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "example.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.enhancedStatus()).isEqualTo("4.4.3");
                });
    }

    @Test
    void oneExchangerWithAddressesIsEnough() throws Exception {
        FakeResolver dns = new FakeResolver().mx("example.test", mx("a.example.test", 10), mx("b.example.test", 20))
                .host("b.example.test", "127.0.0.2");
        dns.hosts.put("a.example.test", temporary());

        assertThat(new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "example.test"))
                .containsExactly(new NextHop("b.example.test", ip("127.0.0.2"), 25, 20));
    }

    @Test
    void anImplicitExchangerWithoutAddressesIsTheDomainsPermanentFailure() {
        FakeResolver dns = new FakeResolver().mx("bare.test", new MailExchanger("bare.test", 0, true));
        dns.hosts.put("bare.test", DnsLookupException.permanent("5.1.2", "Host has no address records"));

        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "bare.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.1.2");
                });
    }

    @Test
    void aTemporaryMxFailureStaysTemporary() {
        FakeResolver dns = new FakeResolver();
        dns.mx.put("flaky.test", temporary());

        assertThatThrownBy(() -> new NextHopResolver(dns, 25, null, BOTH).resolve(DIRECT, "flaky.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void rejectsAPreferredFamilyThatIsNotAllowed() {
        assertThatThrownBy(() -> new NextHopResolver(new FakeResolver(), 25, AddressFamily.INET6, Set.of(AddressFamily.INET)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inet6");
    }

    @Test
    void endToEndThroughRealDns() throws Exception {
        try (LoopbackDnsServer server = new LoopbackDnsServer().start()) {
            server.addMx("example.test", 20, "backup.example.test", 300)
                    .addMx("example.test", 10, "mail.example.test", 300)
                    .addCname("mail.example.test", "host.example.test")
                    .addA("host.example.test", "127.0.0.10").addAaaa("host.example.test", "::1")
                    .addA("backup.example.test", "127.0.0.11");
            DnsjavaResolver dns = new DnsjavaResolver(new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 1),
                    DnsLookupListener.NONE, RandomGenerator.getDefault());
            Router router = new Router(DomainTable.empty(), null);

            Route route = router.route("example.test");
            assertThat(new NextHopResolver(dns, 25, AddressFamily.INET6, BOTH).resolve((Route.Relay) route, "example.test"))
                    .containsExactly(
                            new NextHop("mail.example.test", ip("::1"), 25, 10),
                            new NextHop("mail.example.test", ip("127.0.0.10"), 25, 10),
                            new NextHop("backup.example.test", ip("127.0.0.11"), 25, 20));
        }
    }
}
