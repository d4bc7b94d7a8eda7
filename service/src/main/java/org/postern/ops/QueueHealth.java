package org.postern.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The queue's backlog, for {@code /actuator/health}: messages with an attempt in progress (active)
 * and waiting for one, and the age of the oldest. Over a threshold it adds a {@code warning} detail
 * but stays UP, and it belongs to no probe group: a backlog is a reason to look at the next hops,
 * not to stop accepting mail (the spool holds it) nor to restart the relay. Alert on the
 * {@code postern_queue_*} metrics; this shows the same numbers to someone reading the health page.
 */
public final class QueueHealth {

    private final IntSupplier active;
    private final IntSupplier waiting;
    private final Supplier<Instant> oldestArrival;
    private final Clock clock;
    private final int backlogWarning;
    private final Duration ageWarning;

    /**
     * @param oldestArrival  arrival of the oldest queued message, null when the queue is empty
     * @param backlogWarning warn above this many messages; 0 for never
     * @param ageWarning     warn when the oldest message is older than this; zero for never
     */
    public QueueHealth(IntSupplier active, IntSupplier waiting, Supplier<Instant> oldestArrival, Clock clock,
            int backlogWarning, Duration ageWarning) {
        this.active = active;
        this.waiting = waiting;
        this.oldestArrival = oldestArrival;
        this.clock = clock;
        this.backlogWarning = backlogWarning;
        this.ageWarning = ageWarning;
    }

    public HealthReport check() {
        int a = active.getAsInt();
        int w = waiting.getAsInt();
        Instant oldest = oldestArrival.get();
        Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", a);
        details.put("waiting", w);
        details.put("oldestMessageAgeSeconds", age.toSeconds());
        details.put("backlogWarning", backlogWarning);
        details.put("ageWarningSeconds", ageWarning.toSeconds());
        List<String> warnings = new ArrayList<>();
        if (backlogWarning > 0 && a + w > backlogWarning) {
            warnings.add((a + w) + " messages queued, over " + backlogWarning);
        }
        if (!ageWarning.isZero() && age.compareTo(ageWarning) > 0) {
            warnings.add("the oldest message has waited " + age.toSeconds() + " s, over " + ageWarning.toSeconds() + " s");
        }
        if (!warnings.isEmpty()) {
            details.put("warning", String.join("; ", warnings));
        }
        return new HealthReport(true, details);
    }
}
