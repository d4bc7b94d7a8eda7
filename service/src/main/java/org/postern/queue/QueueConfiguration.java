package org.postern.queue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.postern.config.ClientModifiers;
import org.postern.config.ClientPortProperties;
import org.postern.config.MailerProperties;
import org.postern.config.PosternProperties;
import org.postern.config.RelayAuthProperties;
import org.postern.config.RoutingProperties;
import org.postern.dns.DnsLookupListener;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.MailResolver;
import org.postern.header.HeaderRules;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.Mailers;
import org.postern.routing.DomainTable;
import org.postern.routing.NextHopResolver;
import org.postern.routing.Route;
import org.postern.routing.RouteParser;
import org.postern.routing.Router;
import org.postern.smtp.AddressFamily;
import org.postern.smtp.IpLiteral;
import org.postern.smtp.client.ClientPort;
import org.postern.smtp.client.SmtpClient;
import org.postern.smtp.server.MessageAcceptedListener;
import org.postern.smtp.server.SmtpServerConfiguration;
import org.postern.spool.Spool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
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
    Mailers mailers(PosternProperties properties) {
        Map<String, MailerDefinition> all = new LinkedHashMap<>(Mailers.builtIn());
        properties.mailers().forEach((name, p) -> all.put(name, mailer(name, all.get(name), p)));
        Mailers mailers = new Mailers(all);
        RoutingProperties routing = properties.routing();
        if (routing.smartHost() != null) {
            checkMailer(mailers, RouteParser.parse(routing.smartHost(), Mailers.SMART_HOST_DEFAULT),
                    "postern.routing.smart-host");
        }
        routing.domains().forEach((domain, spec) -> checkMailer(mailers, RouteParser.parse(spec, Mailers.DEFAULT),
                "postern.routing.domains[" + domain + "]"));
        return mailers;
    }

    @Bean
    Router router(PosternProperties properties) {
        RoutingProperties routing = properties.routing();
        Route smartHost = routing.smartHost() == null ? null
                : RouteParser.parse(routing.smartHost(), Mailers.SMART_HOST_DEFAULT);
        return new Router(RouteParser.parseTable(routing.domains(), Mailers.DEFAULT), smartHost);
    }

    @Bean
    MailResolver mailResolver(PosternProperties properties, ObjectProvider<DnsLookupListener> listener) {
        return new DnsjavaResolver(properties.dns().settings(), listener.getIfAvailable(() -> DnsLookupListener.NONE),
                RandomGenerator.getDefault());
    }

    @Bean
    QueueManager queueManager(PosternProperties properties, Spool spool, Router router, Mailers mailers,
            MailResolver resolver, ObjectProvider<QueueEvents> events, ObjectProvider<HeaderRules> headerRules) {
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
        return new QueueManager(spool, router, mailers,
                new NextHopConnector(hops, client, hostname, routing.tls().policy(),
                        new DomainTable<>(routing.tls().policies()), credentials, clientPorts,
                        address -> resolver.hostName(address).filter(ClientPort::isQualifiedHeloName).orElse(null)),
                settings, new RetrySchedule(q.minBackoff(), q.maxBackoff(), RandomGenerator.getDefault()),
                Clock.systemUTC(), events.getIfAvailable(() -> QueueEvents.NONE),
                OutboundHeaders.of(headerRules.getIfAvailable(() -> HeaderRules.defaults(hostname))));
    }

    @Bean
    MessageAcceptedListener queueFeed(QueueManager queue) {
        return queue::accepted;
    }

    @Bean
    SmartLifecycle queueLifecycle(QueueManager queue) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                queue.start();
                running = true;
            }

            @Override
            public void stop() {
                queue.stop(Duration.ofSeconds(10));
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

    private static MailerDefinition mailer(String name, MailerDefinition base, MailerProperties p) {
        String where = "postern.mailers." + name;
        if (Mailers.RESERVED.contains(name)) {
            throw new IllegalArgumentException(where + ": '" + name + "' is a special mailer and cannot be defined");
        }
        try {
            return new MailerDefinition(name,
                    p.flags() != null ? p.flags() : base != null ? base.flags() : "",
                    p.maxmessages() != null ? p.maxmessages() : base != null ? base.maxMessages() : 0,
                    p.recipients() != null ? p.recipients() : base != null ? base.recipients()
                            : MailerDefinition.DEFAULT_RECIPIENTS,
                    p.maxsize() != null ? p.maxsize().toBytes() : base != null ? base.maxSize() : 0,
                    p.port() != null ? p.port() : base != null ? base.port() : 25);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static void checkMailer(Mailers mailers, Route route, String property) {
        if (route instanceof Route.Relay relay && mailers.find(relay.mailer()).isEmpty()) {
            throw new IllegalArgumentException(property + ": no mailer named '" + relay.mailer() + "' (known: "
                    + String.join(", ", mailers.names()) + ")");
        }
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
