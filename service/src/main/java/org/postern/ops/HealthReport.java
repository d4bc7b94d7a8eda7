package org.postern.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one of Postern's health checks found: up or down, and the details an operator reads in
 * {@code /actuator/health}. Plain Java, so the checks are tested without Spring;
 * {@link HealthConfiguration} turns it into Spring Boot's {@code Health}.
 *
 * @param up      false takes every health group the check belongs to DOWN
 * @param details in the order given; values are numbers, booleans or strings
 */
public record HealthReport(boolean up, Map<String, Object> details) {

    public HealthReport {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
