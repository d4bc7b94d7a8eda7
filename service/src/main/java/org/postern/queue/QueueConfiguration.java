package org.postern.queue;

import java.io.IOException;
import java.time.Clock;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.postern.config.ClientModifiers;
import org.postern.config.ClientPortProperties;
import org.postern.config.PosternProperties;
import org.postern.config.RelayAuthProperties;
import org.postern.config.RoutingProperties;
import org.postern.config.refresh.RuntimeConfiguration;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.dns.DnsLookupListener;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.MailResolver;
import org.postern.routing.DomainTable;
import org.postern.routing.NextHopResolver;
import org.postern.routing.Route;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.Envelope;
import org.postern.smtp.IpLiteral;
import org.postern.smtp.client.ClientPort;
import org.postern.smtp.client.SmtpClient;
import org.postern.smtp.server.AddressVerifier;
import org.postern.smtp.server.MessageAcceptedListener;
import org.postern.smtp.server.SmtpServerConfiguration;
import org.postern.spool.Spool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires delivery from {@code postern.routing}, {@code postern.dns}, {@code postern.mailers},
 * {@code postern.queue} and {@code postern.timeouts}. The queue starts before the SMTP listeners
 * and stops after them, so nothing is accepted that the queue cannot take.
 */
@Configuration(proxyBeanMethods = false)
public class QueueConfiguration {

    /** Stops after the SMTP server (higher phases stop first) and before the spool bean is closed. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1000;

    @Bean
    MailResolver mailResolver(PosternProperties properties, ObjectProvider<DnsLookupListener> listener) {
        return new DnsjavaResolver(properties.dns().settings(), listener.getIfAvailable(() -> DnsLookupListener.NONE),
                RandomGenerator.getDefault());
    }

    @Bean
    QueueManager queueManager(PosternProperties properties, Spool spool, RuntimeConfigurationHolder runtime,
            MailResolver resolver, ObjectProvider<QueueEvents> events, ObjectProvider<DestinationGuard> guard) {
        String hostname = SmtpServerConfiguration.hostname(properties.hostname());
        RoutingProperties routing = properties.routing();
        SSLContext verifying = trustedContext(routing.tls().trustedCertificates());
        SmtpClient client = new SmtpClient(properties.timeouts().toSmtpTimeouts(), verifying);
        Map<String, RelayCredentials> credentials = new HashMap<>();
        routing.auth().forEach((host, a) -> credentials.put(host.toLowerCase(Locale.ROOT), credentials(host, a)));
        Map<AddressFamily, ClientPort> clientPorts = clientPorts(properties.clientPorts());
        // With ClientPortOptions entries, only their families are used (sendmail behaves the same:
        // an entry is how a family is configured); without any, both are.
        Set<AddressFamily> families = clientPorts.isEmpty() ? EnumSet.allOf(AddressFamily.class)
                : EnumSet.copyOf(clientPorts.keySet());
        NextHopResolver hops = new NextHopResolver(resolver, 25, properties.clientFamilyPreference(), families);
        var q = properties.queue();
        QueueSettings settings = new QueueSettings(q.lifetime(), q.warnAfter(), q.maxConcurrency(),
                q.destinationConcurrency(), q.connectionCacheTime(), q.bounceSizeLimit().toBytes(), hostname,
                Math.max(1000, q.maxConcurrency() * 10));
        return new QueueManager(spool, runtime,
                new NextHopConnector(hops, client, hostname, routing.tls().policy(),
                        new DomainTable<>(routing.tls().policies()), credentials, clientPorts,
                        address -> resolver.hostName(address).filter(ClientPort::isQualifiedHeloName).orElse(null)),
                settings, new RetrySchedule(q.minBackoff(), q.maxBackoff(), RandomGenerator.getDefault()),
                Clock.systemUTC(), events.getIfAvailable(() -> QueueEvents.NONE),
                guard.getIfAvailable(() -> DestinationGuard.NONE));
    }

    /** VRFY answers 250 for an address routed to a mailer with flag q (sendmail's M_VRFY250). */
    @Bean
    AddressVerifier vrfyByMailerFlag(RuntimeConfigurationHolder runtime) {
        return address -> {
            RuntimeConfiguration config = runtime.get();
            return address.domain() != null
                    && config.router().route(address.domainLowerCase()) instanceof Route.Relay relay
                    && config.mailers().find(relay.mailer()).map(m -> m.hasFlag('q')).orElse(false);
        };
    }

    /** The queue reads the spool back once the relay is ready: a long queue does not delay readiness. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> queueRecovery(QueueManager queue) {
        return event -> queue.startRecovery();
    }

    @Bean
    MessageAcceptedListener queueFeed(QueueManager queue) {
        return new MessageAcceptedListener() {
            @Override
            public void accepted(Envelope envelope, long contentLength) {
                queue.accepted(envelope, contentLength);
            }

            @Override
            public void accepted(Envelope envelope, long contentLength, byte[] headerBlock) {
                queue.accepted(envelope, contentLength, headerBlock);
            }
        };
    }

    @Bean
    SmartLifecycle queueLifecycle(QueueManager queue, PosternProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                queue.start();
                running = true;
            }

            @Override
            public void stop() {
                // Normally the drain (org.postern.ops.Drain, a phase earlier) has stopped the queue already.
                queue.stop(properties.drain().timeout());
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return PHASE;
            }
        };
    }

    static Map<AddressFamily, ClientPort> clientPorts(List<ClientPortProperties> entries) {
        Map<AddressFamily, ClientPort> ports = new EnumMap<>(AddressFamily.class);
        for (ClientPortProperties p : entries) {
            ClientModifiers m = ClientModifiers.parse(p.modifiers(), "postern.client-ports");
            InetSocketAddress bind = p.addr().isBlank() && p.port() == 0 ? null
                    : new InetSocketAddress(IpLiteral.parse(p.addr(), p.family()), p.port());
            ports.put(p.family(), new ClientPort(p.family(), bind,
                    p.sndBufSize() == null ? 0 : (int) p.sndBufSize().toBytes(),
                    p.rcvBufSize() == null ? 0 : (int) p.rcvBufSize().toBytes(),
                    m.interfaceHelo(), m.noAuth(), m.noStartTls(), m.flags()));
        }
        return ports;
    }

    private static RelayCredentials credentials(String host, RelayAuthProperties a) {
        if (a.passwordFile() != null) {
            try {
                new RelayCredentials(a.username(), null, a.passwordFile(), a.allowWithoutTls()).resolve();
            } catch (IOException e) {
                throw new IllegalArgumentException("postern.routing.auth[" + host + "].password-file: cannot read "
                        + a.passwordFile() + ": " + e.getMessage());
            }
        }
        return new RelayCredentials(a.username(), a.password(), a.passwordFile(), a.allowWithoutTls());
    }

    private static SSLContext trustedContext(String location) {
        if (location == null) {
            return null;
        }
        try {
            return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(location)))
                    .createSslContext();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("postern.routing.tls.trusted-certificates: cannot load " + location
                    + ": " + e.getMessage(), e);
        }
    }
}
