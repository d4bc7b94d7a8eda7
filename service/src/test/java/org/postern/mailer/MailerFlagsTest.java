package org.postern.mailer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.mailer.MailerFlags.Status;

/** Every mailer flag of the operations guide has a decision; local and program flags are refused with the reason. */
class MailerFlagsTest {

    /** The flags the sendmail operations guide (8.17, section 5.4) lists. */
    private static final String GUIDE_FLAGS = "aAbBcCdDeEfFghiIjkKlLmMnoOpPqrRsSuUwWxXzZ0123456789:|/@%!"
            .replace("O", "").replace("4", "");

    @Test
    void everyFlagOfTheGuideHasADecisionAndNoOtherDoes() {
        assertThat(MailerFlags.all().keySet()).containsExactlyInAnyOrderElementsOf(
                GUIDE_FLAGS.chars().mapToObj(c -> (char) c).toList());
        MailerFlags.all().values().forEach(t -> assertThat(t.reason()).isNotBlank());
    }

    @Test
    void localAndProgramFlagsAreRejectedWithTheReason() {
        Map<Character, String> reasons = new LinkedHashMap<>();
        reasons.put('A', "alias");
        reasons.put('f', "-f");
        reasons.put('i', "user database");
        reasons.put('j', "user database");
        reasons.put('l', "local delivery");
        reasons.put('o', "runs no programs");
        reasons.put('r', "-r");
        reasons.put('S', "runs no programs");
        reasons.put('U', "UUCP");
        reasons.put('w', "passwd");
        reasons.put('5', "ruleset 5");
        reasons.put(':', ":include:");
        reasons.put('|', "|program");
        reasons.put('/', "/file");
        reasons.put('@', "user database");
        reasons.forEach((flag, reason) -> {
            assertThat(MailerFlags.treatment(flag).status()).as("flag %s", flag).isEqualTo(Status.REJECTED);
            assertThatThrownBy(() -> MailerFlags.check("m" + flag)).as("flag %s", flag)
                    .hasMessageContaining("mailer flag '" + flag + "' is not supported").hasMessageContaining(reason);
        });
    }

    @Test
    void unknownLettersAreRejected() {
        for (char c : "OvyY4N+-~".toCharArray()) {
            assertThatThrownBy(() -> MailerFlags.check("m" + c)).as("flag %s", c)
                    .hasMessageContaining("unknown mailer flag '" + c + "'");
        }
    }

    @Test
    void headerFlagsAreValid() {
        assertThat(MailerFlags.check("DFMPxc")).isEqualTo("DFMPxc");
        for (char c : "DFMPxc".toCharArray()) {
            assertThat(MailerFlags.treatment(c).status()).isEqualTo(Status.HEADER);
        }
    }

    @Test
    void spacesAndRepeatsAreDropped() {
        assertThat(MailerFlags.check(" m D m a ")).isEqualTo("mDa");
        assertThat(MailerFlags.check(null)).isEmpty();
    }
}
