package org.postern.config.refresh;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.postern.config.PosternProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
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

    /** Binds {@code postern.*} from the environment as it is now, with the startup's strictness. */
    PosternProperties bind() {
        BindHandler handler = new ValidationBindHandler(
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()),
                new SpringValidatorAdapter(validation.getValidator()));
        return Binder.get(environment).bindOrCreate("postern", Bindable.of(PosternProperties.class), handler);
    }

    @Override
    public void close() {
        validation.close();
    }
}
