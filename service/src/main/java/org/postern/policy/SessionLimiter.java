package org.postern.policy;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts concurrent SMTP sessions, in total and per client address, against their limits. */
public final class SessionLimiter {

    /** The answer to a new connection. */
    public enum Admission { ADMITTED, TOO_MANY_SESSIONS, TOO_MANY_FROM_CLIENT }

    private final int maxSessions;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    public SessionLimiter(int maxSessions, int maxPerClient) {
        this.maxSessions = maxSessions;
        this.maxPerClient = maxPerClient;
    }

    /** Admits a session; an admitted one must be {@link #release released} exactly once. */
    public Admission tryAdmit(InetAddress client) {
        if (total.incrementAndGet() > maxSessions) {
            total.decrementAndGet();
            return Admission.TOO_MANY_SESSIONS;
        }
        boolean[] admitted = {false};
        perClient.compute(client, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < maxPerClient) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Admission.TOO_MANY_FROM_CLIENT;
        }
        return Admission.ADMITTED;
    }

    public void release(InetAddress client) {
        perClient.computeIfPresent(client, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
        total.decrementAndGet();
    }

    public int activeSessions() {
        return total.get();
    }
}
