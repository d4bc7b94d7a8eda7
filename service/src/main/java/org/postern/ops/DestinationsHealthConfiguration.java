package org.postern.ops;

import org.postern.queue.DestinationGuard;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@code destinations} health indicator (the bean name, less "HealthIndicator", is its name). */
@Configuration(proxyBeanMethods = false)
public class DestinationsHealthConfiguration {

    @Bean
    DestinationsHealthIndicator destinationsHealthIndicator(DestinationGuard guard) {
        return new DestinationsHealthIndicator(guard);
    }
}
