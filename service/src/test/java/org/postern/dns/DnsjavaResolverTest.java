package org.postern.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.testing.LoopbackDnsServer;

/** The dnsjava resolver against a real DNS server on a loopback port: answers, failures, cache, TCP. */
class DnsjavaResolverTest {

    private LoopbackDnsServer dns;
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDns() throws Exception {
        dns = new LoopbackDnsServer().start();
    }

    @AfterEach
    void stopDns() throws Exception {
        dns.close();
    }

    private DnsjavaResolver resolver() {
        return resolver(Duration.ofSeconds(2), 1, RandomGenerator.getDefault());
    }

    private DnsjavaResolver resolver(Duration timeout, int attempts, RandomGenerator random) {
        return new DnsjavaResolver(new DnsSettings(List.of(dns.address()), timeout, attempts),
                (type, outcome) -> lookups.add(type + " " + outcome), random);
    }

    private static RandomGenerator seeded(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no lookup
    }

    @Test
    void exchangersComeInPreferenceOrder() throws Exception {
        dns.addMx("example.test", 20, "b.example.test", 300)
                .addMx("example.test", 10, "a.example.test", 300)
                .addMx("example.test", 30, "c.example.test", 300);

        assertThat(resolver().mailExchangers("Example.TEST.")).containsExactly(
                new MailExchanger("a.example.test", 10, false),
                new MailExchanger("b.example.test", 20, false),
                new MailExchanger("c.example.test", 30, false));
        assertThat(lookups).containsExactly("MX found");
    }

    @Test
    void equalPreferencesAreShuffledAndTheSeedMakesItRepeatable() throws Exception {
        dns.addMx("spread.test", 5, "first.spread.test", 300);
        for (String host : List.of("x", "y", "z")) {
            dns.addMx("spread.test", 10, host + ".spread.test", 300);
        }
        DnsjavaResolver resolver = resolver(Duration.ofSeconds(2), 1, seeded(42));
        DnsjavaResolver twin = resolver(Duration.ofSeconds(2), 1, seeded(42));
        Map<String, Integer> secondPlace = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            List<MailExchanger> mx = resolver.mailExchangers("spread.test");
            assertThat(twin.mailExchangers("spread.test")).isEqualTo(mx);
            assertThat(mx).hasSize(4);
            assertThat(mx.get(0).host()).isEqualTo("first.spread.test");
            assertThat(mx.subList(1, 4)).extracting(MailExchanger::preference).containsOnly(10);
            secondPlace.merge(mx.get(1).host(), 1, Integer::sum);
        }
        // Each of the three equal hosts leads its group about 100 times in 300.
        assertThat(secondPlace).containsOnlyKeys("x.spread.test", "y.spread.test", "z.spread.test");
        assertThat(secondPlace.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
        assertThat(dns.queries("spread.test", "MX")).isEqualTo(2); // one per resolver; the rest cached
    }

    @Test
    void aDomainWithoutMxIsItsOwnImplicitExchanger() throws Exception {
        dns.addA("plain.test", "127.0.0.2");

        assertThat(resolver().mailExchangers("plain.test"))
                .containsExactly(new MailExchanger("plain.test", 0, true));
        assertThat(lookups).containsExactly("MX nodata");
    }

    @Test
    void nullMxIsPermanent5110() {
        dns.nullMx("nomail.test");

        assertThatThrownBy(() -> resolver().mailExchangers("nomail.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.1.10");
                    assertThat(e.toReply().code()).isEqualTo(550);
                });
        assertThat(lookups).containsExactly("MX nullmx");
    }

    @Test
    void aDotBesideRealExchangersIsSkipped() throws Exception {
        dns.nullMx("mixed.test").addMx("mixed.test", 10, "mx.mixed.test", 300);

        assertThat(resolver().mailExchangers("mixed.test"))
                .containsExactly(new MailExchanger("mx.mixed.test", 10, false));
    }

    @Test
    void nxdomainIsPermanent512() {
        assertThatThrownBy(() -> resolver().mailExchangers("nowhere.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.1.2");
                    assertThat(e.getMessage()).doesNotContain("127.0.0.1");
                });
        assertThat(lookups).containsExactly("MX nxdomain");
    }

    @Test
    void servfailIsTemporary443() {
        dns.addA("broken.test", "127.0.0.2").servfail("broken.test");

        assertThatThrownBy(() -> resolver().mailExchangers("broken.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.enhancedStatus()).isEqualTo("4.4.3");
                    assertThat(e.toReply().code()).isEqualTo(451);
                });
        assertThat(lookups).containsExactly("MX servfail");
    }

    @Test
    void noAnswerTimesOutAsTemporary() {
        dns.noAnswer("silent.test");
        DnsjavaResolver resolver = resolver(Duration.ofMillis(300), 1, RandomGenerator.getDefault());

        long start = System.nanoTime();
        assertThatThrownBy(() -> resolver.mailExchangers("silent.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.enhancedStatus()).isEqualTo("4.4.3");
                    assertThat(e.getMessage()).contains("timed out");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(lookups).containsExactly("MX timeout");
        assertThat(dns.queries("silent.test", "MX")).isEqualTo(1);
    }

    @Test
    void attemptsRetryASilentServer() {
        dns.noAnswer("silent.test");
        DnsjavaResolver resolver = resolver(Duration.ofMillis(200), 3, RandomGenerator.getDefault());

        assertThatThrownBy(() -> resolver.addresses("silent.test")).isInstanceOf(DnsLookupException.class);
        assertThat(dns.queries("silent.test", "A")).isEqualTo(3);
        assertThat(dns.queries("silent.test", "AAAA")).isZero(); // not asked again after a timeout
    }

    @Test
    void aSilentOrFailingServerHandsOverToTheNext() throws Exception {
        try (LoopbackDnsServer second = new LoopbackDnsServer().start()) {
            dns.noAnswer("failover.test").servfail("broken.test");
            second.addMx("failover.test", 10, "mx.failover.test", 300).addMx("broken.test", 10, "mx.broken.test", 300);
            DnsjavaResolver resolver = new DnsjavaResolver(
                    new DnsSettings(List.of(dns.address(), second.address()), Duration.ofMillis(300), 2),
                    DnsLookupListener.NONE, RandomGenerator.getDefault());

            assertThat(resolver.mailExchangers("failover.test")).extracting(MailExchanger::host)
                    .containsExactly("mx.failover.test");
            assertThat(resolver.mailExchangers("broken.test")).extracting(MailExchanger::host)
                    .containsExactly("mx.broken.test");
            assertThat(dns.queries("failover.test", "MX")).isEqualTo(1);
            assertThat(second.queries("failover.test", "MX")).isEqualTo(1);
        }
    }

    @Test
    void mxQueryOnAnAliasFollowsTheCname() throws Exception {
        dns.addCname("alias.test", "real.test").addMx("real.test", 10, "mx.real.test", 300);

        assertThat(resolver().mailExchangers("alias.test"))
                .containsExactly(new MailExchanger("mx.real.test", 10, false));
    }

    @Test
    void addressesOfAnExchangerThatIsAnAliasFollowTheCname() throws Exception {
        dns.addMx("real.test", 10, "mail.real.test", 300)
                .addCname("mail.real.test", "host.real.test")
                .addA("host.real.test", "127.0.0.5")
                .addAaaa("host.real.test", "::1");
        DnsjavaResolver resolver = resolver();

        MailExchanger mx = resolver.mailExchangers("real.test").get(0);
        assertThat(resolver.addresses(mx.host())).containsExactly(ip("127.0.0.5"), ip("::1"));
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        dns.addMx("ttl.test", 10, "mx.ttl.test", 1);
        DnsjavaResolver resolver = resolver();
        // dnsjava's cache counts whole seconds: start just after a second begins so the TTL of 1 s
        // cannot run out between the two lookups.
        while (System.currentTimeMillis() % 1000 > 100) {
            Thread.sleep(5);
        }

        resolver.mailExchangers("ttl.test");
        resolver.mailExchangers("ttl.test");
        assertThat(dns.queries("ttl.test", "MX")).isEqualTo(1);
        assertThat(lookups).containsExactly("MX found", "MX cached");

        Thread.sleep(2000); // past the TTL
        resolver.mailExchangers("ttl.test");
        assertThat(dns.queries("ttl.test", "MX")).isEqualTo(2);
        assertThat(lookups).containsExactly("MX found", "MX cached", "MX found");
    }

    @Test
    void negativeAnswersAreCached() throws Exception {
        dns.addA("v4only.test", "127.0.0.2");
        DnsjavaResolver resolver = resolver();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> resolver.mailExchangers("nowhere.test")).isInstanceOf(DnsLookupException.class);
            assertThat(resolver.addresses("v4only.test")).containsExactly(ip("127.0.0.2"));
        }
        assertThat(dns.queries("nowhere.test", "MX")).isEqualTo(1);
        assertThat(dns.queries("v4only.test", "AAAA")).isEqualTo(1);
        assertThat(lookups).containsExactly("MX nxdomain", "A found", "AAAA nodata",
                "MX cached", "A cached", "AAAA cached");
    }

    @Test
    void eachResolverHasItsOwnCache() throws Exception {
        dns.addMx("shared.test", 10, "mx.shared.test", 300);

        resolver().mailExchangers("shared.test");
        resolver().mailExchangers("shared.test");
        assertThat(dns.queries("shared.test", "MX")).isEqualTo(2);
    }

    @Test
    void aTruncatedUdpAnswerIsRetriedOverTcp() throws Exception {
        dns.addMx("big.test", 10, "mx.big.test", 300).truncateUdp("big.test");

        assertThat(resolver().mailExchangers("big.test"))
                .containsExactly(new MailExchanger("mx.big.test", 10, false));
        assertThat(dns.queries("big.test", "MX")).isEqualTo(2);
        assertThat(dns.tcpQueries("big.test", "MX")).isEqualTo(1);
    }

    @Test
    void addressesReturnsIpv4ThenIpv6() throws Exception {
        dns.addAaaa("dual.test", "::1").addA("dual.test", "127.0.0.3").addA("dual.test", "127.0.0.4");

        assertThat(resolver().addresses("dual.test")).containsExactly(ip("127.0.0.3"), ip("127.0.0.4"), ip("::1"));
        assertThat(lookups).containsExactly("A found", "AAAA found");
    }

    @Test
    void addressLiteralsNeedNoDns() throws Exception {
        DnsjavaResolver resolver = resolver();

        assertThat(resolver.addresses("[127.0.0.1]")).containsExactly(ip("127.0.0.1"));
        assertThat(resolver.addresses("127.0.0.1")).containsExactly(ip("127.0.0.1"));
        assertThat(resolver.addresses("[IPv6:::1]")).containsExactly(ip("::1"));
        assertThat(resolver.addresses("[::1]")).containsExactly(ip("::1"));
        assertThat(resolver.mailExchangers("[127.0.0.1]")).containsExactly(new MailExchanger("[127.0.0.1]", 0, true));
        assertThat(lookups).isEmpty();
    }

    @Test
    void aHostThatDoesNotExistOrHasNoAddressIsPermanent() {
        dns.addMx("mxonly.test", 10, "mx.mxonly.test", 300);
        DnsjavaResolver resolver = resolver();

        assertThatThrownBy(() -> resolver.addresses("nowhere.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.1.2");
                });
        assertThatThrownBy(() -> resolver.addresses("mxonly.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("5.1.2");
                });
    }

    @Test
    void oneFamilyIsEnoughButAFailureWithoutAnswerIsTemporary() throws Exception {
        dns.addAaaa("v6.test", "::1");
        dns.addA("half.test", "127.0.0.2").servfail("half.test");
        DnsjavaResolver resolver = resolver();

        assertThat(resolver.addresses("v6.test")).containsExactly(ip("::1"));
        assertThatThrownBy(() -> resolver.addresses("half.test"))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.enhancedStatus()).isEqualTo("4.4.3");
                });
    }

    @Test
    void aBadNameIsPermanentWithoutAQuery() {
        String longLabel = "a".repeat(64) + ".test";
        assertThatThrownBy(() -> resolver().mailExchangers(longLabel))
                .isInstanceOfSatisfying(DnsLookupException.class, e -> assertThat(e.permanent()).isTrue());
        assertThat(lookups).isEmpty(); // refused before any query
    }
}
