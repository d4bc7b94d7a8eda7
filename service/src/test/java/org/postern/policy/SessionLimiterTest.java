package org.postern.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postern.policy.SessionLimiter.Admission;

/** Concurrent sessions, in total and per client address, never exceed their limits and are given back on release. */
class SessionLimiterTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void totalLimitRefusesTheNextSessionUntilOneIsReleased() throws UnknownHostException {
        SessionLimiter limiter = new SessionLimiter(2, 10);
        assertThat(limiter.tryAdmit(ip("127.0.0.1"))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(ip("127.0.0.2"))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(ip("127.0.0.3"))).isEqualTo(Admission.TOO_MANY_SESSIONS);
        assertThat(limiter.activeSessions()).isEqualTo(2);

        limiter.release(ip("127.0.0.1"));
        assertThat(limiter.activeSessions()).isEqualTo(1);
        assertThat(limiter.tryAdmit(ip("127.0.0.3"))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.activeSessions()).isEqualTo(2);
    }

    @Test
    void perClientLimitRefusesThatClientOnly() throws UnknownHostException {
        SessionLimiter limiter = new SessionLimiter(10, 2);
        InetAddress busy = ip("127.0.0.1");
        assertThat(limiter.tryAdmit(busy)).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(busy)).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(busy)).isEqualTo(Admission.TOO_MANY_FROM_CLIENT);
        assertThat(limiter.activeSessions()).as("a refused session is not counted").isEqualTo(2);

        assertThat(limiter.tryAdmit(ip("::1"))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(ip("127.0.0.2"))).isEqualTo(Admission.ADMITTED);

        limiter.release(busy);
        assertThat(limiter.tryAdmit(busy)).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(busy)).isEqualTo(Admission.TOO_MANY_FROM_CLIENT);
        assertThat(limiter.activeSessions()).isEqualTo(4);
    }

    @Test
    void totalLimitIsCheckedBeforeThePerClientOne() throws UnknownHostException {
        SessionLimiter limiter = new SessionLimiter(1, 1);
        assertThat(limiter.tryAdmit(ip("127.0.0.1"))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(ip("127.0.0.1"))).isEqualTo(Admission.TOO_MANY_SESSIONS);
    }

    @Test
    void releasingEverySessionRestoresTheFullAllowance() throws UnknownHostException {
        SessionLimiter limiter = new SessionLimiter(3, 3);
        InetAddress client = ip("127.0.0.1");
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) {
                assertThat(limiter.tryAdmit(client)).isEqualTo(Admission.ADMITTED);
            }
            assertThat(limiter.tryAdmit(client)).isNotEqualTo(Admission.ADMITTED);
            for (int i = 0; i < 3; i++) {
                limiter.release(client);
            }
            assertThat(limiter.activeSessions()).isZero();
        }
    }

    @Test
    void limitsHoldUnderConcurrentAdmissionAndRelease() throws Exception {
        int maxSessions = 12;
        int maxPerClient = 5;
        List<InetAddress> clients = List.of(ip("127.0.0.1"), ip("127.0.0.2"), ip("127.0.0.3"), ip("::1"));
        SessionLimiter limiter = new SessionLimiter(maxSessions, maxPerClient);

        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
        ConcurrentHashMap<InetAddress, AtomicInteger> perClientPeak = new ConcurrentHashMap<>();
        AtomicInteger admitted = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        int threads = 32;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 20_000; i++) {
                        InetAddress client = clients.get(random.nextInt(clients.size()));
                        if (limiter.tryAdmit(client) != Admission.ADMITTED) {
                            continue;
                        }
                        admitted.incrementAndGet();
                        int now = active.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        int mine = perClient.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
                        perClientPeak.computeIfAbsent(client, k -> new AtomicInteger()).accumulateAndGet(mine, Math::max);
                        if (random.nextInt(8) == 0) {
                            Thread.yield();
                        }
                        perClient.get(client).decrementAndGet();
                        active.decrementAndGet();
                        limiter.release(client);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        start.countDown();
        assertThat(done.await(60, TimeUnit.SECONDS)).as("threads finished").isTrue();

        assertThat(failures).isEmpty();
        assertThat(admitted.get()).as("the test exercised admission").isGreaterThan(1000);
        assertThat(peak.get()).isLessThanOrEqualTo(maxSessions);
        perClientPeak.forEach((client, p) -> assertThat(p.get()).as("peak of %s", client).isLessThanOrEqualTo(maxPerClient));
        assertThat(limiter.activeSessions()).isZero();

        // Nothing leaked: every client gets its full allowance again, up to the total.
        for (int i = 0; i < maxPerClient; i++) {
            assertThat(limiter.tryAdmit(clients.get(0))).isEqualTo(Admission.ADMITTED);
            assertThat(limiter.tryAdmit(clients.get(1))).isEqualTo(Admission.ADMITTED);
        }
        assertThat(limiter.tryAdmit(clients.get(0))).isEqualTo(Admission.TOO_MANY_FROM_CLIENT);
        assertThat(limiter.tryAdmit(clients.get(2))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(clients.get(2))).isEqualTo(Admission.ADMITTED);
        assertThat(limiter.tryAdmit(clients.get(3))).isEqualTo(Admission.TOO_MANY_SESSIONS);
    }
}
