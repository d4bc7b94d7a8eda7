package org.postern.macro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.postern.macro.MacroCatalog.Context;

/** The documented macro set and the startup checks made against it. */
class MacroCatalogTest {

    /** The macro list of the operations guide (op.txt §5.2, sendmail 8.17), in its order, plus $Z. */
    static final String GUIDE = "a b c d e f g h i j k l m n o p q r s t u v w x z _ addr_type alg_bits auth_authen"
            + " auth_author auth_type auth_ssf bodytype cert_fp cert_issuer cert_md5 cert_subject cipher cipher_bits"
            + " client_addr client_connections client_flags client_name client_port client_ptr client_rate"
            + " client_resolve cn_issuer cn_subject currHeader daemon_addr daemon_family daemon_flags daemon_info"
            + " daemon_name daemon_port deliveryMode dsn_envid dsn_notify dsn_ret envid hdrlen hdr_name if_addr"
            + " if_addr_out if_family if_family_out if_name if_name_out load_avg mail_addr mail_host mail_mailer msg_id"
            + " msg_size nbadrcpts nrcpts ntries opMode quarantine queue_interval rcpt_addr rcpt_host rcpt_mailer"
            + " server_addr server_name time tls_version total_rate verify Z";

    @Test
    void everyMacroOfTheGuideHasAnEntry() {
        assertThat(MacroCatalog.entries().keySet()).containsExactlyInAnyOrder(GUIDE.split(" "));
        MacroCatalog.entries().values().forEach(e -> {
            assertThat(e.meaning()).as(e.name()).isNotBlank();
            if (e.availability() != MacroCatalog.Availability.BOTH) {
                assertThat(e.why()).as("why %s is bound or not provided", e.name()).isNotBlank();
            }
        });
    }

    @Test
    void theIssuesMinimumSetIsProvided() {
        for (String name : "j i b a g s _ r v Z h u f x t client_addr client_name client_flags daemon_name daemon_addr"
                .concat(" daemon_family daemon_flags auth_authen auth_type tls_version cipher cipher_bits verify")
                .split(" ")) {
            assertThat(MacroCatalog.find(name).orElseThrow().availability()).as(name)
                    .isNotEqualTo(MacroCatalog.Availability.NONE);
        }
    }

    @Test
    void anUnknownMacroFailsNamingTheProperty() {
        MacroTemplate t = MacroTemplate.parse("X $j ${no_such_macro}");
        assertThatThrownBy(() -> MacroCatalog.check(t, Context.DELIVERY, Set.of(), "postern.headers[3]"))
                .hasMessage("postern.headers[3]: unknown macro ${no_such_macro} (not a sendmail macro Postern knows,"
                        + " nor defined in postern.macros)");
        MacroCatalog.check(t, Context.DELIVERY, Set.of("no_such_macro"), "postern.headers[3]"); // an operator's macro
    }

    @Test
    void aMacroPosternDoesNotProvideFailsWithTheReason() {
        assertThatThrownBy(() -> MacroCatalog.check(MacroTemplate.parse("$z"), Context.DELIVERY, Set.of(), "p"))
                .hasMessage("p: macro $z is not provided by Postern: local mailbox delivery only");
    }

    @Test
    void aSessionMacroHasNoValueAtDeliveryAndADeliveryMacroNoneAtReceipt() {
        assertThatThrownBy(() -> MacroCatalog.check(MacroTemplate.parse("${cipher}"), Context.DELIVERY, Set.of(), "p"))
                .hasMessageContaining("p: macro ${cipher} has no value at delivery")
                .hasMessageContaining("not stored with the message");
        assertThatThrownBy(() -> MacroCatalog.check(MacroTemplate.parse("$h"), Context.RECEIPT, Set.of(), "p"))
                .hasMessageContaining("p: macro $h has no value at receipt (the Received header)");
        MacroCatalog.check(MacroTemplate.parse("$j $i ${client_addr} ${daemon_name}"), Context.RECEIPT, Set.of(), "p");
        MacroCatalog.check(MacroTemplate.parse("$j $i ${client_addr} ${daemon_name}"), Context.DELIVERY, Set.of(), "p");
    }

    @Test
    void theGuideListIsTheInstalledGuides() throws IOException {
        // When sendmail-doc is installed, its macro list must match ours (a newer guide adds rows).
        Path guide = Path.of("/usr/share/doc/sendmail-doc/op/op.txt.gz");
        assumeTrue(Files.exists(guide), "sendmail-doc not installed");
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(guide))) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        int from = text.indexOf("      $a   The  origination date");
        int to = text.indexOf("There  are three types of dates", from);
        Matcher m = Pattern.compile("(?m)^      \\$(\\{\\w+\\}|\\S)[#*]?(  |$)").matcher(text.substring(from, to));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(MacroNames.normalize(m.group(1)));
        }
        names.add("Z");
        assertThat(names).containsExactlyInAnyOrder(GUIDE.split(" "));
    }
}
