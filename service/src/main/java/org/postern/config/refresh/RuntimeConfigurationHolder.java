package org.postern.config.refresh;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the {@link RuntimeConfiguration} in effect and swaps it atomically: a reader gets either
 * the old snapshot or the new one, never a mix. Components that can follow a refresh take this
 * holder as a {@code Supplier<RuntimeConfiguration>} and call {@link #get()} once per unit of work;
 * components that must react to a change (resize a pool, clear a cache) register a listener.
 */
public final class RuntimeConfigurationHolder implements Supplier<RuntimeConfiguration> {
    private static final Logger log = LoggerFactory.getLogger(RuntimeConfigurationHolder.class);

    private final AtomicReference<RuntimeConfiguration> current;
    private final List<Consumer<RuntimeConfiguration>> listeners = new CopyOnWriteArrayList<>();

    public RuntimeConfigurationHolder(RuntimeConfiguration initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The configuration in effect now. */
    @Override
    public RuntimeConfiguration get() {
        return current.get();
    }

    /**
     * Called with each configuration applied after this call, on the refreshing thread, after the
     * swap. The snapshot was fully checked before it was applied, so a listener only adapts to it;
     * one that throws is logged and does not undo the swap or stop the other listeners.
     */
    public void addListener(Consumer<RuntimeConfiguration> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Makes {@code next} the configuration in effect, then tells the listeners. */
    void apply(RuntimeConfiguration next) {
        current.set(Objects.requireNonNull(next, "next"));
        for (Consumer<RuntimeConfiguration> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                log.error("configuration generation {}: a refresh listener failed: {}", next.generation(), e.toString(), e);
            }
        }
    }
}
