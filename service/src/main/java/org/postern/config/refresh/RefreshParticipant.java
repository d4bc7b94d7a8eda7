package org.postern.config.refresh;

import java.util.List;
import org.postern.config.PosternProperties;

/**
 * A part of the running configuration outside {@code postern.*} (such as the
 * {@code resilience4j.ratelimiter.*} limits) that a runtime refresh applies together with the
 * {@code postern.*} tree, all or nothing: {@link ConfigurationRefresh} prepares every participant
 * before it changes anything, and a participant whose new values are invalid refuses the whole
 * refresh.
 */
public interface RefreshParticipant {

    /**
     * Reads and checks this participant's values in the sources as they are now, changing nothing.
     *
     * @param next the newly bound {@code postern.*} tree (its routes name the destinations)
     * @throws RuntimeException naming the property and the reason when the new values are invalid
     */
    Prepared prepare(PosternProperties next);

    /** A checked change, applied only once every participant and the {@code postern.*} tree are valid. */
    interface Prepared {

        /** The properties whose new values {@link #apply} puts into effect, as {@code resilience4j.ratelimiter.instances[h].limit-for-period}. */
        List<String> changed();

        /** The changed properties that can only take effect at a restart. */
        List<String> restartOnly();

        /** Puts the {@link #changed} values into effect; must not fail for a prepared change. */
        void apply();
    }
}
