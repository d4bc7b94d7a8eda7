package org.postern.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.postern.smtp.client.ClientPort;

class ClientModifiersTest {

    @Test
    void parsesSendmailsThreeFlags() {
        assertThat(ClientModifiers.parse("hAS", "p")).isEqualTo(new ClientModifiers(true, true, true, "hAS"));
        assertThat(ClientModifiers.parse("A", "p")).isEqualTo(new ClientModifiers(false, true, false, "A"));
        assertThat(ClientModifiers.parse("", "p")).isEqualTo(ClientModifiers.NONE);
        assertThat(ClientModifiers.parse("h, S", "p").flags()).isEqualTo("hS");
    }

    @Test
    void unknownFlagNamesThePropertyAndTheFlag() {
        assertThatThrownBy(() -> ClientModifiers.parse("hx", "postern.client-ports (Family=inet).modifiers"))
                .hasMessageContaining("postern.client-ports (Family=inet).modifiers")
                .hasMessageContaining("'x'");
    }

    @Test
    void interfaceNameMustBeQualifiedAndNotALiteral() {
        assertThat(ClientPort.isQualifiedHeloName("out.relay.example")).isTrue();
        assertThat(ClientPort.isQualifiedHeloName("localhost")).isFalse();
        assertThat(ClientPort.isQualifiedHeloName("[127.0.0.1]")).isFalse();
        assertThat(ClientPort.isQualifiedHeloName(null)).isFalse();
    }
}
