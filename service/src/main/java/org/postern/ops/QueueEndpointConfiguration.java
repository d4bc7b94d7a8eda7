package org.postern.ops;

import java.time.Clock;
import org.postern.config.PosternProperties;
import org.postern.queue.QueueControl;
import org.postern.queue.QueueManager;
import org.postern.spool.Spool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the operator's queue control and its {@code /actuator/queue} endpoint ({@code postern.queue-endpoint}). */
@Configuration(proxyBeanMethods = false)
public class QueueEndpointConfiguration {

    @Bean
    QueueControl queueControl(QueueManager queue, Spool spool) {
        return new QueueControl(queue, spool, Clock.systemUTC());
    }

    @Bean
    QueueEndpoint queueEndpoint(QueueControl control, PosternProperties properties) {
        return new QueueEndpoint(control, properties.queueEndpoint().writeEnabled());
    }
}
