package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredOutcomeTest {

    @Test
    void roundTripsEveryFieldWithSeparatorsAndUnicode() {
        StoredOutcome o = new StoredOutcome("failed", "5.1.1", "mx.example.net",
                "550 5.1.1 <a&b=c@example.net>: user unknown; jörg 100%", Instant.parse("2026-11-21T10:00:00.123Z"));
        assertThat(StoredOutcome.decode(o.encode())).isEqualTo(o);
    }

    @Test
    void nullFieldsAreLeftOut() {
        StoredOutcome o = new StoredOutcome("relayed", "2.0.0", null, null, null);
        assertThat(o.encode()).isEqualTo("action=relayed&status=2.0.0");
        assertThat(StoredOutcome.decode(o.encode())).isEqualTo(o);
    }

    @Test
    void garbageDecodesToNullOrPartialNeverThrows() {
        assertThat(StoredOutcome.decode(null)).isNull();
        assertThat(StoredOutcome.decode("")).isNull();
        assertThat(StoredOutcome.decode("no fields here")).isNull();
        assertThat(StoredOutcome.decode("action=failed&diag=%ZZ")).isNull();
        assertThat(StoredOutcome.decode("action=failed&at=yesterday").at()).isNull();
    }

    @Test
    void outcomesMapToDsnActions() {
        Instant now = Instant.now();
        assertThat(StoredOutcome.of(new DeliveryOutcome.Delivered("2.0.0", "250 ok", "mx", true), now).action())
                .isEqualTo("delivered");
        assertThat(StoredOutcome.of(new DeliveryOutcome.Delivered("2.0.0", "250 ok", "mx", false), now).action())
                .isEqualTo("relayed");
        assertThat(StoredOutcome.of(new DeliveryOutcome.Failed("5.1.1", "550", "mx", FailureScope.RECIPIENT), now)
                .action()).isEqualTo("failed");
    }
}
