package org.postern.queue;

import java.util.function.Supplier;
import org.postern.config.refresh.RuntimeConfiguration;

/**
 * The delivery-time header editing of the configuration in force: rebuilt only when a refresh
 * installs a new configuration generation, so each transaction reads the current header rules
 * without building them again.
 */
final class OutboundHeadersCache implements Supplier<OutboundHeaders> {

    private record Built(long generation, OutboundHeaders headers) {
    }

    private final Supplier<RuntimeConfiguration> runtime;
    private volatile Built built;

    OutboundHeadersCache(Supplier<RuntimeConfiguration> runtime) {
        this.runtime = runtime;
    }

    @Override
    public OutboundHeaders get() {
        RuntimeConfiguration config = runtime.get();
        Built b = built;
        if (b == null || b.generation() != config.generation()) {
            b = new Built(config.generation(), OutboundHeaders.of(config.headerRules()));
            built = b;
        }
        return b.headers();
    }
}
