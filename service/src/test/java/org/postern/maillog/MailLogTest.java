package org.postern.maillog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The mail log's notations: Postfix's delay precision and relay form. */
class MailLogTest {

    @Test
    void delayHasTwoDecimalsUnderASecondOneUnderTenThenWholeSeconds() {
        assertThat(MailLog.formatDelay(0.004)).isEqualTo("0.00");
        assertThat(MailLog.formatDelay(0.428)).isEqualTo("0.43");
        assertThat(MailLog.formatDelay(1.24)).isEqualTo("1.2");
        assertThat(MailLog.formatDelay(9.94)).isEqualTo("9.9");
        assertThat(MailLog.formatDelay(10.4)).isEqualTo("10");
        assertThat(MailLog.formatDelay(432000.0)).isEqualTo("432000");
    }

    @Test
    void relayIsHostAddressAndPort() {
        assertThat(MailLog.relay("mx.example.net", "192.0.2.7", 25)).isEqualTo("mx.example.net[192.0.2.7]:25");
        assertThat(MailLog.relay(null, "2001:db8::1", 587)).isEqualTo("[2001:db8::1]:587");
    }
}
