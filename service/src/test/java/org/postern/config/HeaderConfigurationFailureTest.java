package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.header.HeaderRules;
import org.postern.testing.TestStartup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bad header configuration ({@code postern.headers}, {@code postern.header-checks},
 * {@code postern.macros}) fails startup of the real application, naming the property and the
 * reason, as {@link ConfigurationFailureTest} does for the rest.
 */
@ExtendWith(OutputCaptureExtension.class)
class HeaderConfigurationFailureTest {

    @TempDir
    Path spool;

    private ConfigurableApplicationContext start(String... overrides) {
        return TestStartup.start(spool, overrides);
    }

    private String startupFailure(CapturedOutput output, String... overrides) {
        return TestStartup.failure(output, spool, overrides);
    }

    @Test
    void malformedHeaderLineFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=H?D?Date $a"))
                .contains("postern.headers[0]: no ':' after the header name");
        assertThat(startupFailure(output, "postern.headers[0]=X-Info: $j"))
                .contains("postern.headers[0]: a header line starts with 'H'");
        assertThat(startupFailure(output, "postern.headers[0]=HX-Info: $?{Site}unclosed"))
                .contains("postern.headers[0]: the conditional $?{Site} has no closing '$.'");
    }

    @Test
    void unknownMacroFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=HX-Info: $j ${no_such_macro}"))
                .contains("postern.headers[0]: unknown macro ${no_such_macro}");
        // ${MyMacro} is an operator's macro only once postern.macros defines it.
        assertThat(startupFailure(output, "postern.headers[0]=H?${MyMacro}?X-Info: $j"))
                .contains("postern.headers[0]: unknown macro ${MyMacro}");
        assertThat(startupFailure(output, "postern.headers[0].name=X-Tls",
                "postern.headers[0].template=${cipher}"))
                .contains("postern.headers[0]: macro ${cipher} has no value at delivery");
    }

    @Test
    void unknownMailerFlagFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=H?D*?Date: $a"))
                .contains("postern.headers[0]: unknown mailer flag '*' in ?D*?");
        assertThat(startupFailure(output, "postern.headers[0].name=Date", "postern.headers[0].flags=D,F",
                "postern.headers[0].template=$a"))
                .contains("postern.headers[0]: unknown mailer flag ','");
    }

    @Test
    void undefinedRulesetFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=HSubject: $>CheckSubject"))
                .contains("postern.headers[0]: ruleset CheckSubject is not defined (postern.header-checks.CheckSubject)");
    }

    @Test
    void badHeaderCheckFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=HSubject: $>CheckSubject",
                "postern.header-checks.CheckSubject[0].regex=(unclosed"))
                .contains("postern.header-checks.CheckSubject[0].regex: Unclosed group");
        assertThat(startupFailure(output, "postern.header-checks.CheckSubject[0].regex=x",
                "postern.header-checks.CheckSubject[0].action=bounce"))
                .contains("postern.header-checks.checksubject[0].action").contains("bounce");
    }

    @Test
    void macroPosternSetsCannotBeDefined(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.macros.j=other.example"))
                .contains("postern.macros.j: $j is set by Postern (the official host name: postern.hostname)");
        assertThat(startupFailure(output, "postern.macros.Site=a$b"))
                .contains("postern.macros.Site: the value must be one line of text without '$'");
    }

    @Test
    void aReceivedRuleWithAConditionFails(CapturedOutput output) {
        assertThat(startupFailure(output, "postern.headers[0]=H?D?Received: by $j; $b"))
                .contains("postern.headers[0]: the Received rule takes no ?…? condition");
    }

    @Test
    void aValidConfigurationStarts() {
        try (ConfigurableApplicationContext context = start("postern.macros.MyMacro=on",
                "postern.headers[0]=H?${MyMacro}?X-Info: $j", "postern.headers[1]=HSubject: $>CheckSubject",
                "postern.header-checks.CheckSubject[0].regex=x")) {
            HeaderRules rules = context.getBean(RuntimeConfigurationHolder.class).get().headerRules();
            assertThat(rules.deliveryRules().getLast().line()).isEqualTo("H?${MyMacro}?X-Info: $j");
            assertThat(rules.checks().isEmpty()).isFalse();
        }
    }
}
