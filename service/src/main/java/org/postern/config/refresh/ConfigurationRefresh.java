package org.postern.config.refresh;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.postern.config.PosternProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a refreshed {@code postern.*} tree all or nothing. The new tree is bound and validated as
 * strictly as at startup (unknown keys, bean validation, the records' own checks), its refreshable
 * part is built by {@link RuntimeConfigurationFactory} with the startup checks, and only then is
 * the snapshot swapped. Any failure refuses the whole refresh: the running configuration stays,
 * the refusal is logged naming the property and the reason, and counted. Restart-only changes are
 * never applied at runtime; they are logged and shown by a gauge until a restart or until the
 * sources hold the running values again.
 *
 * <p>Meters (docs/metrics.md): {@code postern.config.refresh} by {@code outcome}
 * ({@code applied}, {@code refused}, {@code restart_required}) and
 * {@code postern.config.restart.required} (1 while restart-only changes wait).
 */
public final class ConfigurationRefresh {
    private static final Logger log = LoggerFactory.getLogger(ConfigurationRefresh.class);

    /** What became of one refresh. */
    public sealed interface Outcome {
        /** A new snapshot is in effect; restart-only changes, if any, wait for a restart. */
        record Applied(long generation, List<String> changed, List<String> restartOnly) implements Outcome {
        }

        /** Nothing refreshable changed, but restart-only properties did: nothing was applied. */
        record RestartRequired(List<String> restartOnly) implements Outcome {
        }

        /** The new tree is invalid: nothing was applied. {@code reason} names the property. */
        record Refused(String reason) implements Outcome {
        }

        /** Nothing to apply and nothing waiting for a restart. */
        record Unchanged() implements Outcome {
        }
    }

    private final RuntimeConfigurationHolder holder;
    private final PosternProperties startup;
    private final List<RefreshParticipant> participants;
    private final Counter applied;
    private final Counter refused;
    private final Counter restartRequired;
    private volatile PosternProperties lastBound;
    private volatile List<String> pendingRestart = List.of();
    /** The participants' restart-only changes at the last refresh, to tell a repeat from news. */
    private List<String> pendingParts = List.of();

    /**
     * @param holder  the snapshot in effect, swapped by each applied refresh
     * @param startup the tree bound at startup: its restart-only values stay in effect
     */
    public ConfigurationRefresh(RuntimeConfigurationHolder holder, PosternProperties startup, MeterRegistry registry) {
        this(holder, startup, registry, List.of());
    }

    /**
     * @param participants the parts outside {@code postern.*} a refresh applies with it, all or nothing
     */
    public ConfigurationRefresh(RuntimeConfigurationHolder holder, PosternProperties startup, MeterRegistry registry,
            List<RefreshParticipant> participants) {
        this.holder = Objects.requireNonNull(holder, "holder");
        this.startup = Objects.requireNonNull(startup, "startup");
        this.participants = List.copyOf(participants);
        this.lastBound = startup;
        String description = "Runtime configuration refreshes of postern.*, by outcome";
        this.applied = Counter.builder("postern.config.refresh").description(description).tag("outcome", "applied")
                .register(registry);
        this.refused = Counter.builder("postern.config.refresh").description(description).tag("outcome", "refused")
                .register(registry);
        this.restartRequired = Counter.builder("postern.config.refresh").description(description)
                .tag("outcome", "restart_required").register(registry);
        Gauge.builder("postern.config.restart.required", this, r -> r.pendingRestart.isEmpty() ? 0 : 1)
                .description("1 while the configuration sources hold restart-only changes that are not in effect")
                .register(registry);
    }

    /** The restart-only properties whose configured value is not in effect (empty when none). */
    public List<String> pendingRestart() {
        return pendingRestart;
    }

    /**
     * Binds the new tree with {@code binder} and applies it, all or nothing. Runs one refresh at a
     * time, so two refreshes cannot interleave their checks and swaps.
     *
     * @param binder binds and validates {@code postern.*} from the current sources; throws, naming
     *               the property, when the tree is invalid
     */
    public synchronized Outcome refresh(Supplier<PosternProperties> binder) {
        RuntimeConfiguration running = holder.get();
        Outcome outcome;
        try {
            PosternProperties next = binder.get();
            // Every participant is checked before anything changes: one invalid part refuses the whole refresh.
            List<RefreshParticipant.Prepared> parts = participants.stream().map(p -> p.prepare(next)).toList();
            List<String> partsChanged = parts.stream().flatMap(p -> p.changed().stream()).toList();
            List<String> partsRestartOnly = parts.stream().flatMap(p -> p.restartOnly().stream()).toList();
            if (next.equals(lastBound) && partsChanged.isEmpty() && partsRestartOnly.equals(pendingParts)) {
                return new Outcome.Unchanged();
            }
            RefreshableProperties.Split split = RefreshableProperties.split(startup, next);
            List<String> changed = new ArrayList<>(changedRefreshable(running.properties(), split.effective()));
            List<String> restartOnly = new ArrayList<>(split.restartOnlyChanges());
            restartOnly.addAll(partsRestartOnly);
            RuntimeConfiguration built = changed.isEmpty() ? null
                    : RuntimeConfigurationFactory.build(split.effective(), running.generation() + 1);
            changed.addAll(partsChanged);
            if (changed.isEmpty()) {
                // Nothing to swap. Restart-only values may have changed, or changed back (clearing the gauge).
                outcome = restartOnly.isEmpty() ? new Outcome.Unchanged() : new Outcome.RestartRequired(restartOnly);
            } else {
                if (built != null) {
                    holder.apply(built);
                }
                parts.forEach(RefreshParticipant.Prepared::apply);
                outcome = new Outcome.Applied(built != null ? built.generation() : running.generation(), changed,
                        restartOnly);
            }
            lastBound = next;
            pendingParts = partsRestartOnly;
            pendingRestart = List.copyOf(restartOnly);
        } catch (RuntimeException e) {
            outcome = new Outcome.Refused(reason(e));
        }
        report(outcome, running);
        return outcome;
    }

    private void report(Outcome outcome, RuntimeConfiguration running) {
        switch (outcome) {
            case Outcome.Applied a -> {
                applied.increment();
                log.info("configuration refresh applied (generation {}): {}", a.generation(), String.join(", ", a.changed()));
                warnRestartOnly(a.restartOnly());
            }
            case Outcome.RestartRequired r -> {
                restartRequired.increment();
                warnRestartOnly(r.restartOnly());
            }
            case Outcome.Refused r -> {
                refused.increment();
                log.warn("configuration refresh refused, nothing applied; generation {} stays in effect: {}",
                        running.generation(), r.reason());
            }
            case Outcome.Unchanged u -> log.debug("configuration refresh: nothing to apply under postern.*");
        }
    }

    private static void warnRestartOnly(List<String> restartOnly) {
        if (!restartOnly.isEmpty()) {
            log.warn("configuration refresh: {} changed but can only take effect at a restart; the running values stay "
                    + "until then", String.join(", ", restartOnly));
        }
    }

    /** The refreshable paths whose values differ between the two trees, as {@code postern.routing.smart-host}. */
    private static List<String> changedRefreshable(PosternProperties before, PosternProperties after) {
        List<String> changed = new ArrayList<>();
        for (String path : RefreshableProperties.PATHS.stream().sorted().toList()) {
            if (!Objects.equals(RefreshableProperties.valueAt(before, path), RefreshableProperties.valueAt(after, path))) {
                changed.add("postern." + path);
            }
        }
        return changed;
    }

    /** Every distinct message of the cause chain: Spring's names the bound prefix, the records' name the property and reason. */
    static String reason(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().strip();
            if (!message.isEmpty() && text.indexOf(message) < 0) { // a cause often repeats its wrapper's text
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.isEmpty() ? failure.toString() : text.toString();
    }
}
