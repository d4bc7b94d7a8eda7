package org.postern.smtp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.postern.config.DaemonModifiers;
import org.postern.config.DaemonPortProperties;
import org.postern.config.LimitsProperties;
import org.postern.config.PosternProperties;
import org.postern.config.TlsProperties;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.policy.AuthFailureLimiter;
import org.postern.policy.Authenticator;
import org.postern.policy.RelayPolicy;
import org.postern.policy.SessionLimiter;
import org.postern.smtp.IpLiteral;
import org.postern.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the SMTP server from {@code postern.*} and ties it to the application's lifecycle. */
@Configuration(proxyBeanMethods = false)
public class SmtpServerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SmtpServerConfiguration.class);

    @Bean
    RelayPolicy relayPolicy(RuntimeConfigurationHolder runtime) {
        return RelayPolicy.following(() -> runtime.get().relayPolicy()); // refreshable: read at each RCPT
    }

    @Bean
    Authenticator authenticator(PosternProperties properties) {
        return new Authenticator(properties.auth().users());
    }

    @Bean
    SessionLimiter sessionLimiter(PosternProperties properties) {
        return new SessionLimiter(properties.limits().maxSessions(), properties.limits().maxSessionsPerClient());
    }

    /** postern.auth.max-failures within failure-window, per client address; counted by the optional listener (metrics). */
    @Bean
    AuthFailureLimiter authFailureLimiter(PosternProperties properties,
            ObjectProvider<AuthFailureLimiter.Listener> listener) {
        return new AuthFailureLimiter(properties.auth().maxFailures(), properties.auth().failureWindow(),
                java.time.InstantSource.system(), listener.getIfAvailable());
    }

    @Bean
    SmtpServer smtpServer(PosternProperties properties, RelayPolicy relayPolicy, Authenticator authenticator,
            SessionLimiter limiter, Spool spool, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<MessageAcceptedListener> accepted, ObjectProvider<MessageReceivedListener> received,
            ObjectProvider<AddressVerifier> verifier, RuntimeConfigurationHolder runtime,
            ObjectProvider<AuthFailureLimiter> authFailures) {
        String hostname = hostname(properties.hostname());
        LimitsProperties limits = properties.limits();
        SessionSettings settings = new SessionSettings(hostname, limits.maxMessageSize().toBytes(),
                limits.maxRecipients(), limits.maxCommandLineLength(), limits.maxDataLineLength(),
                limits.idleTimeout(), limits.commandTimeout(), limits.maxErrors(), limits.maxJunkCommands(),
                limits.maxMessagesPerSession(),
                properties.smtp().bareLineEndings(), properties.auth().allowWithoutTls());
        ServerTls tls = properties.tls().enabled()
                ? new ServerTls(sslContext(properties.tls(), hostname, sslBundles)) : null;
        ServerContext context = new ServerContext(settings, relayPolicy, authenticator, tls, spool, limiter,
                Clock.systemDefaultZone(), accepted.getIfAvailable(), received.getIfAvailable(),
                verifier.getIfAvailable(), () -> runtime.get().headerRules(), authFailures.getIfAvailable());
        return new SmtpServer(daemonPorts(properties.daemonPorts()), context, limits.connectionRateThrottle());
    }

    @Bean
    SmartLifecycle smtpServerLifecycle(SmtpServer server) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                try {
                    server.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void stop() {
                server.stop(Duration.ofSeconds(10));
            }

            @Override
            public boolean isRunning() {
                return server.isRunning();
            }
        };
    }

    static List<DaemonPort> daemonPorts(List<DaemonPortProperties> entries) {
        return entries.stream().map(SmtpServerConfiguration::daemonPort).toList();
    }

    private static DaemonPort daemonPort(DaemonPortProperties p) {
        String where = "postern.daemon-ports[" + p.name() + "].addr";
        InetAddress address;
        try {
            address = IpLiteral.parse(p.addr(), p.family());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return new DaemonPort(p.name(), address, p.port(), p.family(), p.listen(), DaemonModifiers.parse(p.modifiers()),
                p.sndBufSize() == null ? 0 : (int) p.sndBufSize().toBytes(),
                p.rcvBufSize() == null ? 0 : (int) p.rcvBufSize().toBytes(), p.children());
    }

    public static String hostname(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static SSLContext sslContext(TlsProperties tls, String hostname, ObjectProvider<SslBundles> bundles) {
        if (tls.bundle() != null) {
            SslBundles registry = bundles.getIfAvailable();
            if (registry == null) {
                throw new IllegalArgumentException("postern.tls.bundle: no SSL bundles are configured (spring.ssl.bundle.*)");
            }
            return registry.getBundle(tls.bundle()).createSslContext();
        }
        if (tls.certificate() != null) {
            PemSslStoreDetails key = PemSslStoreDetails.forCertificate(tls.certificate())
                    .withPrivateKey(tls.privateKey()).withPrivateKeyPassword(tls.privateKeyPassword());
            try {
                return SslBundle.of(new PemSslStoreBundle(key, null)).createSslContext();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("postern.tls.certificate / private-key: cannot load: "
                        + e.getMessage(), e);
            }
        }
        log.warn("no certificate configured (postern.tls): STARTTLS uses a generated self-signed certificate for {}",
                hostname);
        return SelfSignedCertificate.sslContext(hostname);
    }

}
