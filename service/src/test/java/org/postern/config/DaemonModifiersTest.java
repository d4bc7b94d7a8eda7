package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.config.DaemonModifiers.*;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sendmail's DaemonPortOptions Modifiers: each documented letter, case-sensitive, and any other letter refused. */
class DaemonModifiersTest {

    @Test
    void eachSendmailLetterMapsToItsModifier() {
        assertThat(DaemonModifiers.parse("a")).containsExactly(REQUIRE_AUTH);
        assertThat(DaemonModifiers.parse("b")).containsExactly(BIND_TO_RECEIVING_INTERFACE);
        assertThat(DaemonModifiers.parse("c")).containsExactly(CANONIFY);
        assertThat(DaemonModifiers.parse("f")).containsExactly(REQUIRE_FQDN);
        assertThat(DaemonModifiers.parse("s")).containsExactly(IMPLICIT_TLS);
        assertThat(DaemonModifiers.parse("u")).containsExactly(ALLOW_UNQUALIFIED);
        assertThat(DaemonModifiers.parse("A")).containsExactly(NO_AUTH);
        assertThat(DaemonModifiers.parse("C")).containsExactly(NO_CANONIFY);
        assertThat(DaemonModifiers.parse("E")).containsExactly(NO_ETRN);
        assertThat(DaemonModifiers.parse("O")).containsExactly(OPTIONAL);
        assertThat(DaemonModifiers.parse("S")).containsExactly(NO_STARTTLS);
    }

    @Test
    void severalLettersCombineAndRepeatsAreHarmless() {
        assertThat(DaemonModifiers.parse("Ea")).containsExactlyInAnyOrder(NO_ETRN, REQUIRE_AUTH);
        assertThat(DaemonModifiers.parse("abcfsuACEOS")).containsExactlyInAnyOrder(DaemonModifiers.values());
        assertThat(DaemonModifiers.parse("aa")).containsExactly(REQUIRE_AUTH);
    }

    @Test
    void emptyOrMissingIsNoModifiers() {
        assertThat(DaemonModifiers.parse("")).isEmpty();
        assertThat(DaemonModifiers.parse(null)).isEmpty();
    }

    @Test
    void flagsRoundTrip() {
        for (DaemonModifiers m : DaemonModifiers.values()) {
            assertThat(DaemonModifiers.parse(String.valueOf(m.flag()))).containsExactly(m);
        }
    }

    @ParameterizedTest
    @CsvSource({"Z, Z", "e, e", "o, o", "h, h", "EZ, Z", "aZb, Z"})
    void unknownLetterFailsNamingItAndTheKnownOnes(String modifiers, char offending) {
        assertThatThrownBy(() -> DaemonModifiers.parse(modifiers)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown DaemonPortOptions modifier '" + offending + "' (known: a b c f s u A C E O S)");
    }

    @Test
    void resultCannotBeChanged() {
        Set<DaemonModifiers> parsed = DaemonModifiers.parse("a");
        assertThatThrownBy(() -> parsed.add(NO_AUTH)).isInstanceOf(UnsupportedOperationException.class);
    }
}
