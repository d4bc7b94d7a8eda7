package org.postern.config.refresh;

import io.micrometer.core.instrument.MeterRegistry;
import org.postern.config.PosternProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Wires the runtime configuration: the startup snapshot (built by the same factory as every
 * refresh, so a bad route or mailer fails startup naming the property), and the rebinder that
 * applies {@code POST /actuator/refresh}.
 */
@Configuration(proxyBeanMethods = false)
public class RefreshConfiguration {

    @Bean
    RuntimeConfigurationHolder runtimeConfiguration(PosternProperties properties) {
        return new RuntimeConfigurationHolder(RuntimeConfigurationFactory.build(properties, 1));
    }

    @Bean
    ConfigurationRefresh configurationRefresh(RuntimeConfigurationHolder holder, PosternProperties properties,
            MeterRegistry registry, ObjectProvider<RefreshParticipant> participants) {
        return new ConfigurationRefresh(holder, properties, registry, participants.orderedStream().toList());
    }

    @Bean
    PosternPropertiesRebinder posternPropertiesRebinder(ApplicationContext context, ConfigurableEnvironment environment,
            ConfigurationRefresh refresh) {
        return new PosternPropertiesRebinder(context, environment, refresh);
    }
}
