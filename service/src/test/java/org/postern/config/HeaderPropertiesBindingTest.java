package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.postern.header.HeaderCheck;
import org.postern.header.HeaderLineParser;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * {@code postern.headers} binds from YAML as Spring Boot loads it: a list mixing native H lines
 * (plain strings, through {@link HeaderRuleProperties#valueOf}) and structured entries;
 * {@code ${macro}} survives Spring's placeholder resolution; rulesets and macros keep their case.
 */
class HeaderPropertiesBindingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PosternProperties.class)
    static class PropertiesOnly {
    }

    @Test
    void nativeAndStructuredLinesBindInOneList() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("spring.config.import=classpath:headers/postern-headers.yaml")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PosternProperties p = context.getBean(PosternProperties.class);
                    assertThat(p.headers()).extracting(HeaderRuleProperties::toLine).containsExactly(
                            "H?${MyMacro}?X-Info: $j",
                            "H?DM?X-Relayed-By: ${daemon_name} on $j\n\tid $i",
                            "HSubject: $>CheckSubject",
                            "H*: $>+CheckAll",
                            "HReceived: from $s ($_)\n\tby $j id $i; $b");
                    p.headers().forEach(h -> HeaderLineParser.parse(h.toLine()));
                    assertThat(p.macros()).containsEntry("MyMacro", "on");
                    assertThat(p.headerChecks()).containsOnlyKeys("CheckSubject", "CheckAll");
                    assertThat(p.headerChecks().get("CheckAll")).extracting(HeaderCheckProperties::action)
                            .containsExactly(HeaderCheck.Action.OK, HeaderCheck.Action.DISCARD);
                    assertThat(p.headerChecks().get("CheckSubject").get(0).action()).isEqualTo(HeaderCheck.Action.REJECT);
                    assertThat(p.headerChecks().get("CheckSubject").get(0).text()).isEqualTo("Spam rejected");
                });
    }

    @Test
    void aMacroNamedLikeASpringPropertyIsReplacedUnlessEscaped() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("Site=clash", "postern.daemon-ports[0].name=MTA",
                        "postern.headers[0]=HX-A: ${Site} ${client_addr}",
                        "postern.headers[1]=HX-B: \\${Site}")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PosternProperties p = context.getBean(PosternProperties.class);
                    // Spring substituted the property Site; ${client_addr} names no property and stays.
                    assertThat(p.headers().get(0).toLine()).isEqualTo("HX-A: clash ${client_addr}");
                    assertThat(p.headers().get(1).toLine()).isEqualTo("HX-B: ${Site}");
                });
    }

    @Test
    void aLineAndItsPartsTogetherAreRefused() {
        HeaderRuleProperties both = new HeaderRuleProperties("HX: y", "X", null, null, "y", null, false);
        assertThatThrownBy(both::toLine).hasMessageContaining("either line or");
    }
}
