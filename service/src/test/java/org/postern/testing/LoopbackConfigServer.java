package org.postern.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.config.server.EnableConfigServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Cloud Config Server in the test JVM, on a free port on 127.0.0.1, serving a native
 * repository: a temporary copy of the project's {@code config/} directory, which tests may change
 * (the native repository re-reads its files on every request). It is its own application with its
 * own properties: it reads no {@code application.yaml} (its config name is its own) and takes its
 * settings as default properties of its own {@code SpringApplication}, so nothing of it reaches
 * the relay started beside it.
 */
public final class LoopbackConfigServer implements AutoCloseable {

    /** The project's config repository, from the service module's directory (where tests run). */
    public static final Path PROJECT_REPOSITORY = Path.of("..", "config");

    /**
     * Only the config server and Boot's auto-configuration, none of Postern's beans. Deliberately not
     * a {@code @Configuration}: the relay's component scan covers test classes too, and must not
     * find a config server to start inside the relay.
     */
    @EnableAutoConfiguration
    @EnableConfigServer
    static class ConfigServerApplication {
    }

    private final Path repository;
    private final ConfigurableApplicationContext context;

    private LoopbackConfigServer(Path repository, ConfigurableApplicationContext context) {
        this.repository = repository;
        this.context = context;
    }

    /** Copies the project's {@code config/*.yml} into a temporary directory and serves it. */
    public static LoopbackConfigServer start() throws IOException {
        Path repository = Files.createTempDirectory("postern-config-repo");
        try (Stream<Path> files = Files.list(PROJECT_REPOSITORY)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yml")).toList()) {
                Files.copy(file, repository.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ConfigServerApplication.class)
                .profiles("native")
                .properties(Map.of(
                        "spring.config.name", "postern-test-config-server", // not Postern's application.yaml
                        "spring.application.name", "config-server",
                        "spring.cloud.config.server.native.search-locations", repository.toUri().toString(),
                        "spring.cloud.config.enabled", "false",
                        "server.address", "127.0.0.1",
                        "server.port", "0",
                        "spring.main.banner-mode", "off",
                        "spring.main.register-shutdown-hook", "false"))
                .run();
        return new LoopbackConfigServer(repository, context);
    }

    /** The server's base URI, {@code http://127.0.0.1:port}. */
    public String uri() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The repository directory the server reads. */
    public Path repository() {
        return repository;
    }

    /** Writes (or replaces) a file in the repository; the next request to the server sees it. */
    public void write(String file, String content) {
        try {
            Path tmp = repository.resolve(file + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, repository.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
