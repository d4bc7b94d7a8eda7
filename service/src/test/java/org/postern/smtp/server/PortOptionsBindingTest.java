package org.postern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.postern.config.PosternProperties;
import org.postern.smtp.AddressFamily;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * DaemonPortOptions and ClientPortOptions keys as an administrator writes them, bound as strictly
 * as at startup: every key sendmail defines either reaches the listener or client port, or fails
 * startup naming it (the keys Postern does not provide: InputMailFilters, DeliveryMode, refuseLA,
 * delayLA, queueLA, and the local/unix families).
 */
class PortOptionsBindingTest {

    private static PosternProperties bind(Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("postern.daemon-ports[0].name", "MTA");
        all.putAll(properties);
        Binder binder = new Binder(ConfigurationPropertySources.from(List.of(new MapPropertySource("test", all))));
        BindHandler strict = new ValidationBindHandler(new NoUnboundElementsBindHandler(BindHandler.DEFAULT),
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate("postern", Bindable.of(PosternProperties.class), strict);
    }

    @Test
    void everyDaemonPortOptionsKeyReachesTheListener() {
        PosternProperties p = bind(Map.of(
                "postern.daemon-ports[0].addr", "::1",
                "postern.daemon-ports[0].port", "587",
                "postern.daemon-ports[0].family", "inet6",
                "postern.daemon-ports[0].listen", "10",
                "postern.daemon-ports[0].modifiers", "Eab",
                "postern.daemon-ports[0].snd-buf-size", "32KB",
                "postern.daemon-ports[0].rcv-buf-size", "64KB",
                "postern.daemon-ports[0].children", "7"));
        DaemonPort port = SmtpServerConfiguration.daemonPorts(p.daemonPorts()).get(0);
        assertThat(port.name()).isEqualTo("MTA");
        assertThat(port.address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(port.port()).isEqualTo(587);
        assertThat(port.family()).isEqualTo(AddressFamily.INET6);
        assertThat(port.backlog()).isEqualTo(10);
        assertThat(port.flags()).isEqualTo("abE");
        assertThat(port.sndBufSize()).isEqualTo(32 * 1024);
        assertThat(port.rcvBufSize()).isEqualTo(64 * 1024);
        assertThat(port.children()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            postern.daemon-ports[0].input-mail-filters | myfilter
            postern.daemon-ports[0].delivery-mode      | background
            postern.daemon-ports[0].refuse-la          | 12
            postern.daemon-ports[0].delay-la           | 8
            postern.daemon-ports[0].queue-la           | 8
            postern.client-ports[0].input-mail-filters | myfilter
            """)
    void sendmailKeysPosternDoesNotProvideFailNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> bind(Map.of(key, value))).hasStackTraceContaining(key);
    }

    @ParameterizedTest
    @CsvSource({"postern.daemon-ports[0].family, local", "postern.daemon-ports[0].family, unix",
            "postern.client-ports[0].family, local"})
    void localSocketFamiliesFail(String key, String value) {
        assertThatThrownBy(() -> bind(Map.of(key, value))).hasStackTraceContaining(key)
                .hasStackTraceContaining(value);
    }
}
