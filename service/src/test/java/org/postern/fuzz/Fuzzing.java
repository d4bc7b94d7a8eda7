package org.postern.fuzz;

/**
 * What the fuzz tests share. Without {@code JAZZER_FUZZ} each {@code @FuzzTest} only replays its
 * committed inputs; with it, Jazzer fuzzes one target for {@link #MAX_DURATION}, or for
 * {@code JAZZER_MAX_DURATION} when that is set (docs/fuzzing.md).
 */
final class Fuzzing {

    /** A short run by default, so that fuzzing by mistake does not hold a build for long. */
    static final String MAX_DURATION = "2m";

    private Fuzzing() {
    }
}
