package org.postern.macro;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * The date macros come from a small cache of recent seconds: whichever second, zone and order
 * they are asked in, they equal what formatting the instant gives.
 */
class MacroDatesTest {

    @Test
    void everySecondAndZoneFormatsAsWithoutTheCache() {
        Instant base = Instant.parse("2025-06-02T10:05:30.123456Z");
        ZoneId[] zones = {ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneId.of("America/New_York")};
        // 0, 8 and 16 seconds share a cache slot; the nanoseconds never matter.
        long[] offsets = {0, 8, 1, 16, 0, 9, 8, 3};
        for (ZoneId zone : zones) {
            for (long s : offsets) {
                Instant when = base.plusSeconds(s).plusNanos(s * 1000);
                Macros m = StandardMacros.time(Macros.builder(), when, zone).build();
                ZonedDateTime local = when.atZone(zone);
                assertThat(m.get("b")).isEqualTo(StandardMacros.RFC5322.format(local));
                assertThat(StandardMacros.rfc5322(when, zone)).isEqualTo(m.get("b"));
                assertThat(m.get("t")).isEqualTo(String.format("%tY%<tm%<td%<tH%<tM", when.atZone(ZoneOffset.UTC)));
                assertThat(m.get("time")).isEqualTo(Long.toString(when.getEpochSecond()));
                assertThat(m.get("d")).contains(String.format("%tH:%<tM:%<tS %<tY", local));
            }
        }
    }
}
