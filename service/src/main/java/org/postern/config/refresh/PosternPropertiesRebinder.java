package org.postern.config.refresh;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.postern.config.PosternProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Rebinds {@code postern.*} when the environment changes ({@code POST /actuator/refresh}, which
 * re-reads every source including the config server, ends with an {@link EnvironmentChangeEvent})
 * and hands the result to {@link ConfigurationRefresh}. {@link PosternProperties} is an immutable,
 * constructor-bound record, which Spring Cloud's own rebinder cannot rebind (application.yaml lists
 * it in {@code spring.cloud.refresh.never-refreshable}); the bean keeps the startup values and this
 * class binds a fresh tree the way startup does: unknown keys fail, then bean validation, then the
 * records' own checks.
 */
public final class PosternPropertiesRebinder implements ApplicationListener<EnvironmentChangeEvent>, AutoCloseable {

    private final ApplicationContext context;
    private final ConfigurableEnvironment environment;
    private final ConfigurationRefresh refresh;
    private final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();

    public PosternPropertiesRebinder(ApplicationContext context, ConfigurableEnvironment environment,
            ConfigurationRefresh refresh) {
        this.context = context;
        this.environment = environment;
        this.refresh = refresh;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        if (event.getSource() == context) { // not a child context's (a separate management port) echo
            refresh.refresh(this::bind);
        }
    }

    /**
     * Binds {@code postern.*} from the environment as it is now, with the startup's strictness.
     *
     * @throws IllegalArgumentException naming the property and the reason (never the value: it may be a password)
     */
    PosternProperties bind() {
        BindHandler handler = new ValidationBindHandler(
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()),
                new SpringValidatorAdapter(validation.getValidator()));
        try {
            return Binder.get(environment).bindOrCreate("postern", Bindable.of(PosternProperties.class), handler);
        } catch (BindException e) {
            throw new IllegalArgumentException(describe(e));
        }
    }

    /**
     * What an operator needs from a bind failure: the records' own checks already name the property
     * ({@code postern.policy.relay-networks: ...}); bean-validation errors are turned into
     * {@code property: reason}; anything else keeps Spring's message, which names the property.
     */
    public static String describe(BindException failure) {
        String named = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException v) {
                List<String> errors = new ArrayList<>();
                for (ObjectError error : v.getValidationErrors().getAllErrors()) {
                    String property = error instanceof FieldError f ? error.getObjectName() + "." + f.getField()
                            : error.getObjectName();
                    errors.add(property + ": " + error.getDefaultMessage());
                }
                return String.join("; ", errors);
            }
            if (t.getMessage() != null && t.getMessage().startsWith("postern.")) {
                named = t.getMessage();
            }
            if (t instanceof UnboundConfigurationPropertiesException u) {
                named = u.getMessage();
            }
        }
        return named != null ? named : failure.getMessage() + (failure.getCause() == null ? ""
                : ": " + failure.getCause().getMessage());
    }

    @Override
    public void close() {
        validation.close();
    }
}
