package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QueueHealthTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static HealthReport check(int active, int waiting, Instant oldest, int backlogWarning, Duration ageWarning) {
        return new QueueHealth(() -> active, () -> waiting, () -> oldest, CLOCK, backlogWarning, ageWarning).check();
    }

    @Test
    void emptyQueueIsUpWithoutWarning() {
        HealthReport report = check(0, 0, null, 100, Duration.ofHours(1));
        assertThat(report.up()).isTrue();
        assertThat(report.details()).containsEntry("active", 0).containsEntry("waiting", 0)
                .containsEntry("oldestMessageAgeSeconds", 0L).containsEntry("backlogWarning", 100)
                .containsEntry("ageWarningSeconds", 3600L).doesNotContainKey("warning");
    }

    @Test
    void atTheThresholdsThereIsNoWarning() {
        HealthReport report = check(40, 60, NOW.minus(Duration.ofHours(1)), 100, Duration.ofHours(1));
        assertThat(report.details()).containsEntry("oldestMessageAgeSeconds", 3600L).doesNotContainKey("warning");
    }

    @Test
    void backlogOverItsThresholdWarnsButStaysUp() {
        HealthReport report = check(40, 61, NOW.minusSeconds(5), 100, Duration.ofHours(1));
        assertThat(report.up()).isTrue();
        assertThat(report.details()).containsEntry("warning", "101 messages queued, over 100");
    }

    @Test
    void oldMessageWarnsButStaysUp() {
        HealthReport report = check(0, 1, NOW.minus(Duration.ofMinutes(61)), 100, Duration.ofHours(1));
        assertThat(report.up()).isTrue();
        assertThat(report.details()).containsEntry("oldestMessageAgeSeconds", 3660L)
                .containsEntry("warning", "the oldest message has waited 3660 s, over 3600 s");
    }

    @Test
    void bothWarningsAreReportedTogether() {
        HealthReport report = check(5, 5, NOW.minus(Duration.ofHours(2)), 9, Duration.ofHours(1));
        assertThat((String) report.details().get("warning"))
                .isEqualTo("10 messages queued, over 9; the oldest message has waited 7200 s, over 3600 s");
    }

    @Test
    void zeroThresholdsTurnTheWarningsOff() {
        HealthReport report = check(5000, 5000, NOW.minus(Duration.ofDays(3)), 0, Duration.ZERO);
        assertThat(report.details()).doesNotContainKey("warning");
    }
}
