package org.postern.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Thresholds of the health indicators behind {@code /actuator/health} (docs/operations.md).
 *
 * @param spoolMinFreeSpace   readiness is DOWN while the spool's file system has less usable space
 *                            than this: a relay that cannot store mail must not be sent any
 * @param queueBacklogWarning the {@code queue} indicator warns when more messages than this are
 *                            queued (active and waiting); 0 turns the warning off
 * @param queueAgeWarning     the {@code queue} indicator warns when the oldest queued message is
 *                            older than this; 0 turns the warning off
 */
public record HealthProperties(
        @DefaultValue("100MB") DataSize spoolMinFreeSpace,
        @Min(0) @DefaultValue("10000") int queueBacklogWarning,
        @DefaultValue("1h") Duration queueAgeWarning) {

    public HealthProperties {
        if (spoolMinFreeSpace.isNegative()) {
            throw new IllegalArgumentException("postern.health.spool-min-free-space must not be negative");
        }
        if (queueAgeWarning.isNegative()) {
            throw new IllegalArgumentException("postern.health.queue-age-warning must not be negative");
        }
    }
}
