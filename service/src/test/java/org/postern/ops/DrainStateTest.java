package org.postern.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DrainStateTest {

    @Test
    void upWhileServing() {
        DrainState state = new DrainState(null);
        assertThat(state.isDraining()).isFalse();
        HealthReport report = state.health();
        assertThat(report.up()).isTrue();
        assertThat(report.details()).containsExactlyEntriesOf(java.util.Map.of("phase", "serving"));
    }

    @Test
    void downFromTheMomentTheDrainBegins() {
        DrainState state = new DrainState("[10.0.0.7]:2525");
        Instant deadline = Instant.parse("2026-03-01T12:00:30Z");
        state.begin(deadline);
        assertThat(state.isDraining()).isTrue();
        HealthReport report = state.health();
        assertThat(report.up()).isFalse();
        assertThat(report.details()).containsEntry("phase", "sessions")
                .containsEntry("deadline", "2026-03-01T12:00:30Z").containsEntry("handoff", "[10.0.0.7]:2525");
        for (DrainState.Phase phase : new DrainState.Phase[] {DrainState.Phase.DELIVERY, DrainState.Phase.HANDOFF,
                DrainState.Phase.STOPPED}) {
            state.enter(phase);
            assertThat(state.health().up()).isFalse();
            assertThat(state.health().details()).containsEntry("phase", phase.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
