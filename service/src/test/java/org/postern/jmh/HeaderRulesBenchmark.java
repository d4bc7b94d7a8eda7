package org.postern.jmh;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.header.HeaderDefaults;
import org.postern.header.HeaderEditor;
import org.postern.header.HeaderRule;
import org.postern.header.HeaderRuleStage;
import org.postern.header.HeaderRules;
import org.postern.macro.MacroTemplate;
import org.postern.macro.Macros;
import org.postern.mailer.MailerDefinition;

/**
 * Header rules and macro expansion: the Received: field a session prepends (the default rule, its
 * template expanded with the session's macros); the default delivery rules applied by the header
 * editor to a message that lacks Date:, From: and Message-Id: (read the header block, evaluate the
 * {@code ?mflags?} conditions, expand and insert the three fields); and one conditional template
 * ({@code $?x … $| … $.}) expanded alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HeaderRulesBenchmark {

    private static final MailerDefinition ESMTP = MailerDefinition.builder("esmtp").flags("mDFMuXa").build();

    private final HeaderRules rules = HeaderRules.defaults("relay.test");
    private final Macros session = Macros.builder()
            .put("j", "relay.test").put("i", "1K0R9V0R788003WRAGYM").put("r", "ESMTP").put("s", "app1.example.org")
            .put("_", "app1.example.org [192.0.2.10]").put("b", "Sat, 21 Nov 2026 08:00:00 +0000")
            .put("client_addr", "192.0.2.10").put("client_name", "app1.example.org")
            .put("t", "202611210800").put("a", "Sat, 21 Nov 2026 08:00:00 +0000").put("g", "app@example.org")
            .put("h", "mx.example.net").put("u", "user@example.net").put("auth_authen", "app").build();
    private final HeaderEditor editor;
    private final HeaderEditor.Context context = new HeaderEditor.Context(ESMTP, session);
    private final byte[] message = ("Received: from app1.example.org ([192.0.2.10])\r\n\tby relay.test with ESMTP"
            + " id 1K0R9V0R788003WRAGYM;\r\n\tSat, 21 Nov 2026 08:00:00 +0000\r\nTo: <user@example.net>\r\n"
            + "Subject: bench\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "body\r\n".repeat(300)).getBytes(StandardCharsets.UTF_8);
    private final MacroTemplate conditional = MacroTemplate.parse(
            "from $s ($?_$_$|$client_addr$.)$?{auth_authen} (authenticated as ${auth_authen})$. by $j id $i; $b");

    public HeaderRulesBenchmark() {
        List<HeaderRule> delivery = HeaderDefaults.rules().stream().filter(r -> !r.is("Received")).toList();
        editor = new HeaderEditor(List.of(new HeaderRuleStage(delivery)));
    }

    @Benchmark
    public byte[] receivedField() {
        return rules.received(session);
    }

    @Benchmark
    public HeaderEditor.Edit deliveryRules() throws Exception {
        return editor.edit(() -> new ByteArrayInputStream(message), context);
    }

    @Benchmark
    public String conditionalTemplate() {
        return conditional.expand(session);
    }
}
