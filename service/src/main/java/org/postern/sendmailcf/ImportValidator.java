package org.postern.sendmailcf;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postern.config.DaemonPortProperties;
import org.postern.config.MailerLineConverter;
import org.postern.config.PosternProperties;
import org.postern.config.refresh.PosternPropertiesRebinder;
import org.postern.config.refresh.RuntimeConfigurationFactory;
import org.postern.smtp.IpLiteral;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Checks imported YAML the way Postern checks its configuration at startup, so that what the
 * importer writes always starts: the YAML is laid over the embedded {@code application.yaml} (as
 * Spring Boot lays an operator's file over it), {@code postern.*} is bound to
 * {@link PosternProperties} with unknown keys failing and Jakarta validation on, then the runtime
 * snapshot is built by {@link RuntimeConfigurationFactory} (mailers, routes, rewriting, header
 * rules) and each listener's address is parsed as the SMTP server does.
 */
public final class ImportValidator {

    private ImportValidator() {
    }

    /**
     * Only warnings from the libraries the validation uses (Hibernate Validator announces itself at
     * INFO), for the command line, where no Spring Boot application configures logging.
     */
    public static void quietLogging() {
        try {
            LoggingSystem logging = LoggingSystem.get(ImportValidator.class.getClassLoader());
            logging.beforeInitialize();
            logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        } catch (RuntimeException e) {
            // no logging system to quiet: its messages go to standard error anyway
        }
    }

    /**
     * @return the bound properties
     * @throws ImportException naming the property and the reason
     */
    public static PosternProperties validate(String yaml) throws ImportException {
        List<PropertySource<?>> sources = new ArrayList<>();
        try {
            sources.addAll(new YamlPropertySourceLoader().load("imported configuration",
                    new ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            ClassPathResource embedded = new ClassPathResource("application.yaml");
            if (embedded.exists()) {
                sources.addAll(new YamlPropertySourceLoader().load("embedded defaults", embedded));
            }
        } catch (IOException | RuntimeException e) {
            throw new ImportException("the generated YAML does not load: " + e.getMessage(), e);
        }
        PosternProperties properties;
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            BindHandler handler = new ValidationBindHandler(
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()),
                    new SpringValidatorAdapter(validation.getValidator()));
            // As at startup: placeholders resolved against the same sources (unresolvable ones, such as
            // the ${client_addr} macros of header lines, stay as written) and M lines given as strings.
            ApplicationConversionService conversion = new ApplicationConversionService();
            conversion.addConverter(new MailerLineConverter());
            properties = new Binder(ConfigurationPropertySources.from(sources),
                    new PropertySourcesPlaceholdersResolver(sources), conversion)
                    .bindOrCreate("postern", Bindable.of(PosternProperties.class), handler);
        } catch (BindException e) {
            throw new ImportException("the result would not start Postern: " + PosternPropertiesRebinder.describe(e), e);
        }
        try {
            RuntimeConfigurationFactory.build(properties, 1);
            for (DaemonPortProperties p : properties.daemonPorts()) {
                try {
                    IpLiteral.parse(p.addr(), p.family());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("postern.daemon-ports[" + p.name() + "].addr: " + e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ImportException("the result would not start Postern: " + e.getMessage(), e);
        }
        return properties;
    }
}
