package org.postern.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postern.smtp.SmtpReply;

class OutcomesTest {

    @Test
    void repliesAreClassifiedByTheirFirstDigit() {
        assertThat(Outcomes.ofReply(SmtpReply.of(250, "2.0.0", "ok"), "mx", true, FailureScope.RECIPIENT))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(Outcomes.ofReply(SmtpReply.of(451, "4.3.0", "later"), "mx", true, FailureScope.RECIPIENT))
                .isInstanceOf(DeliveryOutcome.Deferred.class);
        DeliveryOutcome failed = Outcomes.ofReply(SmtpReply.of(550, "5.1.1", "unknown"), "mx", true,
                FailureScope.RECIPIENT);
        assertThat(failed).isInstanceOf(DeliveryOutcome.Failed.class);
        assertThat(failed.status()).isEqualTo("5.1.1");
        assertThat(failed.diagnostic()).isEqualTo("550 5.1.1 unknown");
        assertThat(failed.remoteMta()).isEqualTo("mx");
    }

    @Test
    void aReplyWithoutEnhancedStatusGetsTheClassDefault() {
        assertThat(Outcomes.status(SmtpReply.of(554, null, "no"))).isEqualTo("5.0.0");
        assertThat(Outcomes.status(SmtpReply.of(421, null, "bye"))).isEqualTo("4.0.0");
    }

    @Test
    void multiLineRepliesBecomeOneDiagnosticLine() {
        SmtpReply r = new SmtpReply(550, "5.7.1", java.util.List.of("first", "second\r\ninjected"));
        assertThat(Outcomes.diagnostic(r)).isEqualTo("550 5.7.1 first second injected");
    }

    @Test
    void temporaryKeepsTheDetailButNeverBounces() {
        assertThat(Outcomes.temporary("5.4.4")).isEqualTo("4.4.4");
        assertThat(Outcomes.temporary("4.4.1")).isEqualTo("4.4.1");
    }
}
