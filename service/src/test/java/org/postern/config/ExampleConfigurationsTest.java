package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * The example Spring Cloud Config repository in {@code config/} must always bind to the real
 * property records with the same strictness as at startup (unknown keys and invalid values fail).
 */
class ExampleConfigurationsTest {
    private static final Path CONFIG_REPOSITORY = Path.of("..", "config");

    @Test
    void defaultProfileBinds() throws IOException {
        PosternProperties p = bind("postern.yml");
        assertThat(p.hostname()).isEqualTo("relay.example.com");
        assertThat(p.daemonPorts()).singleElement().satisfies(d -> {
            assertThat(d.addr()).isEqualTo("0.0.0.0");
            assertThat(d.port()).isEqualTo(2525);
        });
        assertThat(p.auth().users()).containsKey("app1");
        assertThat(p.policy().relayRanges()).hasSize(3);
    }

    @Test
    void productionProfileBindsOverTheDefault() throws IOException {
        PosternProperties p = bind("postern-production.yml", "postern.yml");
        assertThat(p.hostname()).isEqualTo("relay.prod.example.com");
        assertThat(p.limits().maxRecipients()).isEqualTo(500);
        assertThat(p.spool().groupCommitWindow()).hasMillis(2);
        assertThat(p.routing().smartHost()).isEqualTo("relay:[smtp.provider.example]:587");
        assertThat(p.routing().domains()).containsOnlyKeys("corp.example.com", ".corp.example.com", "old.example.com");
        assertThat(p.routing().tls().policies()).containsEntry("smtp.provider.example",
                org.postern.smtp.client.TlsPolicy.REQUIRED);
        assertThat(p.routing().auth().get("smtp.provider.example").passwordFile())
                .isEqualTo(Path.of("/etc/postern/secrets/smarthost-password"));
        assertThat(p.queue().lifetime()).hasDays(3);
        // The rule sets build as at startup, and the YAML anchor gives the envelope the same masquerading.
        var ruleSets = org.postern.rewriting.RuleSets.build(p.rewriting(), p.hostname());
        assertThat(ruleSets).containsOnlyKeys("HdrFromSMTP", "EnvFromSMTP");
        for (var set : ruleSets.values()) {
            assertThat(set.apply(new org.postern.smtp.MailAddress("app", "web1.prod.example.com")))
                    .hasToString("app@example.com");
            assertThat(set.apply(new org.postern.smtp.MailAddress("billing+eu", "prod.example.com")))
                    .hasToString("billing+eu@example.com");
            assertThat(set.apply(new org.postern.smtp.MailAddress("noreply", "prod.example.com")))
                    .hasToString("no-reply@example.com");
        }
    }

    @Test
    void aTypoInTheRepositoryWouldFail() {
        var sources = List.<PropertySource<?>>of(new org.springframework.core.env.MapPropertySource("typo",
                java.util.Map.of("postern.daemon-ports[0].name", "MTA", "postern.spoool.directory", "/x")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bind(sources))
                .hasStackTraceContaining("postern.spoool.directory");
    }

    /** Binds the files in precedence order (first wins), as a config server would lay profiles over the default. */
    private static PosternProperties bind(String... files) throws IOException {
        List<PropertySource<?>> sources = new ArrayList<>();
        for (String file : files) {
            sources.addAll(new YamlPropertySourceLoader().load(file, new FileSystemResource(CONFIG_REPOSITORY.resolve(file))));
        }
        return bind(sources);
    }

    private static PosternProperties bind(List<PropertySource<?>> sources) {
        Binder binder = new Binder(ConfigurationPropertySources.from(sources));
        BindHandler strict = new ValidationBindHandler(new NoUnboundElementsBindHandler(BindHandler.DEFAULT),
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate("postern", Bindable.of(PosternProperties.class), strict);
    }
}
