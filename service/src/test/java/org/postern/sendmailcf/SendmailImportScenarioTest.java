package org.postern.sendmailcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.config.ClientPortProperties;
import org.postern.config.DaemonPortProperties;
import org.postern.config.MailerLineParser;
import org.postern.config.PosternProperties;
import org.postern.config.refresh.RuntimeConfiguration;
import org.postern.config.refresh.RuntimeConfigurationHolder;
import org.postern.header.HeaderLine;
import org.postern.header.HeaderLineParser;
import org.postern.header.HeaderRule;
import org.postern.header.HeaderRules;
import org.postern.smtp.server.SmtpServer;
import org.postern.testing.LoopbackPorts;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.TestStartup;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The migration end to end: real {@code sendmail.cf} files built by m4 from Debian's sendmail-cf
 * ({@code generic-linux.mc}) and from {@code sendmail-import/relay.mc} (CLIENT_OPTIONS for inet and
 * inet6, DAEMON_OPTIONS with modifiers, SMART_HOST, MASQUERADE_AS with masquerade_envelope,
 * mailertable and genericstable with their sources, custom H lines with a translatable and an
 * untranslatable header check, and the O options the importer maps) are imported, Postern is
 * started on the result, and what it runs with — listeners, client ports, mailers, header rules —
 * is compared field by field with the lines of the cf. Listeners are moved to loopback and free
 * ports for the run; their imported addresses and ports are compared before that. Skipped where
 * m4 or sendmail-cf is not installed ({@code .ci/run} installs both).
 */
class SendmailImportScenarioTest {

    private static final Path GENERIC_LINUX = McCompiler.DEBIAN_CF_DIR.resolve("cf/generic-linux.mc");
    private static final Map<String, Integer> SERVICES = Map.of("smtp", 25, "submission", 587);

    @TempDir
    Path dir;

    private final McCompiler m4 = new McCompiler();

    @Test
    void genericLinuxStartsWithTheSameListenersMailersAndHeaders() throws Exception {
        assumeTrue(m4.available(), "m4 and sendmail-cf are not installed (apt-get install m4 sendmail-cf)");
        Path cfFile = build(GENERIC_LINUX);
        String yaml = new ImportSendmailCommand(m4).importFile(cfFile, null, null);
        try (ConfigurableApplicationContext context = start(yaml)) {
            compare(CfParser.parse(Files.readString(cfFile, StandardCharsets.ISO_8859_1)), yaml, context);
        }
    }

    @Test
    void aRelayWithEveryMappedFeatureStartsAsItsCfSays() throws Exception {
        assumeTrue(m4.available(), "m4 and sendmail-cf are not installed (apt-get install m4 sendmail-cf)");
        Path mc = copy("relay.mc");
        Path mailertable = copy("mailertable");
        Path genericstable = copy("genericstable");
        Path cfFile = build(mc);
        CfFile cf = CfParser.parse(Files.readString(cfFile, StandardCharsets.ISO_8859_1));
        ImportSendmailCommand command = new ImportSendmailCommand(m4);
        String yaml = command.importFile(cfFile, mailertable, genericstable);
        // The .mc file itself gives the same configuration (m4 runs inside the importer).
        assertThat(withoutFirstLine(command.importFile(mc, mailertable, genericstable))).isEqualTo(withoutFirstLine(yaml));

        try (ConfigurableApplicationContext context = start(yaml)) {
            compare(cf, yaml, context);
            RuntimeConfiguration runtime = context.getBean(RuntimeConfigurationHolder.class).get();
            PosternProperties p = runtime.properties();
            assertThat(p.routing().smartHost()).isEqualTo(cf.macro("S").orElseThrow().value());
            assertThat(p.limits().connectionRateThrottle())
                    .isEqualTo(Integer.parseInt(cf.option("ConnectionRateThrottle").orElseThrow().value()));
            assertThat(p.limits().maxSessions())
                    .isEqualTo(Integer.parseInt(cf.option("MaxDaemonChildren").orElseThrow().value()));
            assertThat(p.limits().maxMessageSize().toBytes())
                    .isEqualTo(Long.parseLong(cf.option("MaxMessageSize").orElseThrow().value()));
            assertThat(p.queue().lifetime())
                    .isEqualTo(SendmailTime.parse(cf.option("Timeout.queuereturn").orElseThrow().value(), 'd'));
            assertThat(p.queue().minBackoff())
                    .isEqualTo(SendmailTime.parse(cf.option("MinQueueAge").orElseThrow().value(), 'm'));
            var masquerade = p.rewriting().get("EnvFromSMTP").masquerade();
            assertThat(masquerade.as()).isEqualTo(cf.macro("M").orElseThrow().value());
            assertThat(masquerade.domains()).containsAll(cf.classWords("M"));
            // The header checks, over SMTP: the translated rule sets act as the cf's rules would.
            int port = context.getBean(SmtpServer.class).localPort("MTA");
            assertThat(data(port, "Subject: cheap VIAGRA here\r\nMessage-Id: <1@a.example>\r\n").code()).isEqualTo(550);
            assertThat(data(port, "Subject: hello\r\nMessage-Id: not-an-id\r\n").text())
                    .contains("Illegal Message-Id header");
            assertThat(data(port, "Subject: viagras\r\nMessage-Id: <2@a.example>\r\n").code()).isEqualTo(250);
        }
    }

    /** Listeners, client ports, mailers and header lines of the running Postern against the cf's lines. */
    private static void compare(CfFile cf, String yaml, ConfigurableApplicationContext context) throws Exception {
        RuntimeConfiguration runtime = context.getBean(RuntimeConfigurationHolder.class).get();
        PosternProperties running = runtime.properties();
        PosternProperties imported = ImportValidator.validate(yaml);

        List<Map<String, String>> daemons = cf.optionLines("DaemonPortOptions").stream()
                .map(o -> keys(o.value())).toList();
        assertThat(context.getBean(SmtpServer.class).daemonNames())
                .containsExactlyElementsOf(daemons.stream().map(d -> d.get("N")).toList());
        for (int i = 0; i < daemons.size(); i++) {
            Map<String, String> d = daemons.get(i);
            DaemonPortProperties run = running.daemonPorts().get(i);
            DaemonPortProperties imp = imported.daemonPorts().get(i);
            String port = d.getOrDefault("P", "25");
            assertThat(imp.port()).as("Port of %s", d).isEqualTo(SERVICES.getOrDefault(port, 0) > 0
                    ? SERVICES.get(port) : Integer.parseInt(port));
            assertThat(imp.addr()).as("Addr of %s", d).isEqualTo(d.getOrDefault("A", ""));
            assertThat(run.family().sendmailName()).isEqualTo(d.getOrDefault("F", "inet"));
            assertThat(run.modifiers()).as("Modifiers of %s", d).isEqualTo(d.getOrDefault("M", ""));
            assertThat(run.listen()).isEqualTo(Integer.parseInt(d.getOrDefault("L", "128")));
            assertThat(run.children()).isEqualTo(Integer.parseInt(d.getOrDefault("c", "0")));
            assertThat(context.getBean(SmtpServer.class).localPort(run.name())).as("%s listening", run.name())
                    .isPositive();
        }

        List<Map<String, String>> clients = cf.optionLines("ClientPortOptions").stream().map(o -> keys(o.value()))
                .toList();
        assertThat(running.clientPorts()).hasSameSizeAs(clients);
        for (int i = 0; i < clients.size(); i++) {
            Map<String, String> c = clients.get(i);
            ClientPortProperties run = running.clientPorts().get(i);
            assertThat(run.family().sendmailName()).isEqualTo(c.getOrDefault("F", "inet"));
            assertThat(run.addr()).isEqualTo(c.getOrDefault("A", ""));
            assertThat(run.modifiers()).isEqualTo(c.getOrDefault("M", ""));
        }

        int compared = 0;
        for (CfLine m : cf.mailers()) {
            String name = SendmailImporter.mailerFields(m.text()).get(0).substring(1);
            if (Set.of("local", "prog").contains(name)) {
                assertThat(runtime.mailers().find(name)).isEmpty();
                continue;
            }
            // Postern has no queue groups: Q= is dropped (and reported); every other field must match.
            String line = m.text().replaceAll(",\\s*Q=[^,]*", "");
            assertThat(runtime.mailers().get(name)).as("mailer %s", name).isEqualTo(MailerLineParser.parse(line));
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(5);

        HeaderRules rules = runtime.headerRules();
        List<String> effective = new ArrayList<>();
        effective.add(rules.received().line());
        rules.deliveryRules().forEach(r -> effective.add(r.line()));
        for (CfLine h : cf.headers()) {
            HeaderLine parsed = HeaderLineParser.parse(h.text());
            if (parsed instanceof HeaderRule r) {
                assertThat(effective).as("header rules in effect").contains(r.line());
            }
        }
        assertThat(rules.checks().isEmpty()).isEqualTo(cf.headers().stream().noneMatch(h -> h.text().contains("$>")
                && !h.text().contains("CheckMailer")));
    }

    private static Map<String, String> keys(String value) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String v = part.substring(eq + 1).strip();
                keys.put(part.substring(0, eq).strip().substring(0, 1), v.toLowerCase(Locale.ROOT).startsWith("inet")
                        ? v.toLowerCase(Locale.ROOT) : v);
            }
        }
        return keys;
    }

    /** Starts Postern on the imported YAML, its listeners moved to loopback and free ports. */
    private ConfigurableApplicationContext start(String yaml) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("imported",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> properties = new LinkedHashMap<>();
        for (PropertySource<?> s : sources) {
            EnumerablePropertySource<?> e = (EnumerablePropertySource<?>) s;
            for (String name : e.getPropertyNames()) {
                properties.put(name, String.valueOf(e.getProperty(name)));
            }
        }
        for (int i = 0; properties.containsKey("postern.daemon-ports[" + i + "].name"); i++) {
            boolean inet6 = "inet6".equals(properties.get("postern.daemon-ports[" + i + "].family"));
            properties.put("postern.daemon-ports[" + i + "].addr", inet6 ? "::1" : "127.0.0.1");
            properties.put("postern.daemon-ports[" + i + "].port", "0");
        }
        properties.put("postern.dns.servers", "127.0.0.1:" + LoopbackPorts.unused());
        List<String> overrides = new ArrayList<>();
        properties.forEach((k, v) -> overrides.add(k + "=" + v));
        Path spool = Files.createDirectories(dir.resolve("spool"));
        return TestStartup.start(spool, overrides.toArray(String[]::new));
    }

    private Path build(Path mc) throws ImportException, IOException {
        String cf = m4.compile(mc, new ArrayList<>());
        Path file = dir.resolve(mc.getFileName().toString().replace(".mc", ".cf"));
        Files.writeString(file, cf, StandardCharsets.ISO_8859_1);
        return file;
    }

    private Path copy(String resource) throws IOException {
        Path file = dir.resolve(resource);
        Files.writeString(file, SendmailImporterTest.resource(resource), StandardCharsets.ISO_8859_1);
        return file;
    }

    private static String withoutFirstLine(String text) {
        return text.substring(text.indexOf('\n') + 1);
    }

    private static SmtpTestClient.Reply data(int port, String headers) throws IOException {
        try (SmtpTestClient client = SmtpTestClient.connect(port)) {
            client.greeting();
            client.ehlo("client.example");
            return client.sendMessage("app@hosts.example.com", List.of("someone@example.net"),
                    headers + "From: app@hosts.example.com\r\n\r\nbody\r\n");
        }
    }
}
