package org.postern.ops;

import java.time.Clock;
import org.postern.config.DrainProperties;
import org.postern.config.PosternProperties;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.mailer.Mailers;
import org.postern.queue.QueueManager;
import org.postern.routing.Route;
import org.postern.smtp.server.SmtpServer;
import org.postern.spool.Spool;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Ties the {@link Drain} to the application's shutdown (SIGTERM closes the context):
 * <ol>
 *   <li>{@code ContextClosedEvent}, published before any lifecycle bean stops: {@link Drain#begin}
 *       (readiness DOWN, the listeners refuse new mail);</li>
 *   <li>the SMTP server's lifecycle (the default phase, stopped first) waits for open transactions
 *       and closes the listeners;</li>
 *   <li>this {@link #PHASE}, between the SMTP server and the queue: {@link Drain#finish} (delivery,
 *       queue stop, handoff);</li>
 *   <li>the queue's lifecycle then finds the queue stopped; the web server (actuator) stops after
 *       that, so the probes answer throughout the drain.</li>
 * </ol>
 * Every stop here is synchronous: Spring waits for it however long it takes, and
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (which bounds only asynchronous stops, such as
 * the web server's graceful shutdown) does not cut the drain short.
 */
@Configuration(proxyBeanMethods = false)
public class DrainConfiguration {

    /** After the SMTP server (default phase) stops, before the queue (QueueConfiguration.PHASE). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 500;

    @Bean
    DrainState drainState(PosternProperties properties) {
        return new DrainState(properties.drain().handoff());
    }

    @Bean
    Drain drain(PosternProperties properties, SmtpServer server, QueueManager queue, Spool spool,
            RuntimeConfigurationHolder runtime, DrainState state, ApplicationContext context) {
        DrainProperties p = properties.drain();
        Route.Relay handoff = p.handoffRoute();
        Mailers mailers = runtime.get().mailers();
        if (handoff != null && mailers.find(handoff.mailer()).isEmpty()) {
            throw new IllegalArgumentException("postern.drain.handoff: no mailer named '" + handoff.mailer()
                    + "' (known: " + String.join(", ", mailers.names()) + ")");
        }
        return new Drain(p.timeout(), handoff, server, queue, spool, state,
                () -> AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC), Clock.systemUTC());
    }

    @Bean
    ApplicationListener<ContextClosedEvent> drainOnClose(Drain drain, ApplicationContext context) {
        return event -> {
            if (event.getApplicationContext() == context) { // not a child context, such as a management server's
                drain.begin();
            }
        };
    }

    @Bean
    SmartLifecycle drainLifecycle(Drain drain) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                try {
                    drain.finish();
                } finally {
                    running = false;
                }
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return PHASE;
            }

            /** A pause (Spring's test context cache stops idle contexts) is not a shutdown: no drain. */
            @Override
            public boolean isPauseable() {
                return false;
            }
        };
    }
}
