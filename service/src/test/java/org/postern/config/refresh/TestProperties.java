package org.postern.config.refresh;

import jakarta.validation.Validation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postern.config.PosternProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/** Binds {@code postern.*} trees from key=value pairs, as strictly as startup, for the unit tests. */
final class TestProperties {

    private TestProperties() {
    }

    /** A minimal valid tree (one listener) with {@code pairs} ("postern.x=y") over it. */
    static PosternProperties bind(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("postern.daemon-ports[0].name", "MTA");
        map.put("postern.daemon-ports[0].addr", "127.0.0.1");
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        BindHandler strict = new ValidationBindHandler(new NoUnboundElementsBindHandler(BindHandler.DEFAULT),
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return new Binder(new MapConfigurationPropertySource(map))
                .bindOrCreate("postern", Bindable.of(PosternProperties.class), strict);
    }
}
