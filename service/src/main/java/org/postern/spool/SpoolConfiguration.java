package org.postern.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.postern.config.PosternProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the spool from {@code postern.spool.*} at startup (recovering what it holds) and closes it last. */
@Configuration(proxyBeanMethods = false)
public class SpoolConfiguration {

    @Bean(destroyMethod = "close")
    Spool spool(PosternProperties properties, MeterRegistry registry) {
        Counter quarantined = Counter.builder("postern.spool.quarantined")
                .description("Spool files moved to quarantine/ because they were corrupt or truncated")
                .register(registry);
        try {
            return Spool.open(new SpoolOptions(properties.spool().directory(), properties.spool().groupCommitWindow()),
                    (file, reason) -> quarantined.increment());
        } catch (IOException e) {
            throw new UncheckedIOException("postern.spool.directory: cannot open spool "
                    + properties.spool().directory().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
