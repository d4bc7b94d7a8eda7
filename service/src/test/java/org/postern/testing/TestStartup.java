package org.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postern.PosternApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the real application the way the configuration tests need it: loopback, free ports, a
 * temporary spool, then the test's {@code key=value} overrides (later ones win). For the tests that
 * show bad configuration failing startup with the property and the reason.
 */
public final class TestStartup {

    private TestStartup() {
    }

    public static ConfigurableApplicationContext start(Path spool, String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.register-shutdown-hook", "false");
        properties.put("postern.hostname", "relay.test");
        // A list given here replaces the embedded one entirely: without addr it would listen on every address.
        properties.put("postern.daemon-ports[0].addr", "127.0.0.1");
        properties.put("postern.daemon-ports[0].port", "0");
        properties.put("postern.spool.directory", spool.toString());
        for (String override : overrides) {
            int eq = override.indexOf('=');
            properties.put(override.substring(0, eq), override.substring(eq + 1));
        }
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(PosternApplication.class).run(args);
    }

    /** Starts with the overrides, expects failure, and returns every message of the cause chain plus the log of the attempt. */
    public static String failure(CapturedOutput output, Path spool, String... overrides) {
        int logStart = output.getAll().length();
        Throwable failure = catchThrowable(() -> start(spool, overrides).close());
        assertThat(failure).as("startup with %s", List.of(overrides)).isNotNull();
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.append(output.getAll().substring(logStart)).toString();
    }
}
