package org.postern.sendmailcf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.postern.config.DaemonModifiers;
import org.postern.config.MailerLineParser;
import org.postern.header.HeaderDefaults;
import org.postern.header.HeaderLine;
import org.postern.header.HeaderLineParser;
import org.postern.header.HeaderRule;
import org.postern.header.HeaderValidation;
import org.postern.macro.MacroCatalog;
import org.postern.macro.MacroNames;
import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerFlags;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;
import org.postern.rewriting.GenericsTable;
import org.postern.routing.RouteParser;
import org.postern.sendmailcf.PosternYaml.Commented;

/**
 * Maps a parsed {@code sendmail.cf} to Postern's {@code postern.*} properties, and reports every
 * line it does not map. Each cf line ends up in exactly one place: beside the YAML key it became
 * (a comment naming the line), or in the {@link ImportReport} as unmapped, matching Postern's
 * default, or covered by a rule set entry; a line nothing claims is reported as unrecognised, so
 * nothing is dropped silently.
 *
 * <p>What maps (docs/migrating-from-sendmail.md has the full table): {@code $j}; DaemonPortOptions;
 * ClientPortOptions; the size, recipient, children and connection-rate limits; the queue's return,
 * warning and minimum age times; the outbound {@code Timeout.*}; SMART_HOST ({@code DS}) and the
 * mailertable; masquerading and the genericstable; {@code M} lines; {@code H} lines with the header
 * check rule sets that translate ({@link HeaderRulesetTranslator}); the operator's {@code D} macros.
 */
public final class SendmailImporter {

    /**
     * The text sources of the map databases the cf names, when given ({@code --mailertable},
     * {@code --genericstable}); null when not.
     */
    public record Tables(String mailertable, String mailertableName, String genericstable, String genericstableName) {

        public static final Tables NONE = new Tables(null, null, null, null);
    }

    /**
     * The result: the {@code postern} tree (to be written under a {@code postern:} key) and the report.
     *
     * @param postern    the properties below {@code postern.}, in writing order
     * @param report     what was not mapped, and why
     * @param mapped     the cf lines that became properties
     */
    public record Result(Map<String, Object> postern, ImportReport report, Set<Integer> mapped) {

        /** The whole YAML document, report first. */
        public String yaml(String source) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("postern", postern);
            return PosternYaml.write(report.toComments(source, GROUPS), root);
        }
    }

    private static final String G_GENERAL = "General";
    private static final String G_LISTENERS = "Listeners (DaemonPortOptions)";
    private static final String G_CLIENT = "Outbound connections (ClientPortOptions)";
    private static final String G_OPTIONS = "Options (O lines)";
    private static final String G_MACROS = "Macros (D lines)";
    private static final String G_CLASSES = "Classes (C and F lines)";
    private static final String G_MAPS = "Maps (K lines)";
    private static final String G_MAILERS = "Mailers (M lines)";
    private static final String G_HEADERS = "Header lines (H lines)";
    private static final String G_RULESETS = "Rule sets (S and R lines)";
    private static final String G_ROUTING = "Routing (SMART_HOST, mailertable)";
    private static final String G_REWRITING = "Masquerading and genericstable";
    private static final String G_OTHER = "Other lines";
    private static final List<String> GROUPS = List.of(G_GENERAL, G_LISTENERS, G_CLIENT, G_OPTIONS, G_MACROS, G_ROUTING,
            G_MAILERS, G_REWRITING, G_HEADERS, G_CLASSES, G_MAPS, G_RULESETS, G_OTHER);

    /** The rewriting rule sets Postern always has (smtp.m4's names). */
    private static final Set<String> STANDARD_REWRITING = Set.of("EnvFromSMTP", "HdrFromSMTP", "EnvToSMTP",
            "MasqSMTP", "MasqRelay");
    /**
     * Rule sets that sendmail's m4 files ({@code cf/m4/proto.m4}, the mailer and feature files)
     * write ({@code A}, {@code D}, {@code E}, {@code F}, {@code U} and {@code max} come with the access
     * database); an empty {@code Local_*} hook among them is standard, one with rules is the operator's.
     */
    private static final Set<String> STANDARD_RULESETS = Set.of(
            "A", "D", "E", "F", "U", "max", "AddDomain", "BCC", "BadMX", "Basic_check_mail", "Basic_check_rcpt", "Basic_check_relay", "CanonAddr",
            "CanonLocal", "Canonify2", "ConnControl", "DANE_disabled", "Delay_TLS_Clt", "Delay_TLS_Clt2",
            "DomainMapLookup", "EnvFromL", "EnvFromSMTP", "EnvFromUD", "EnvFromUUD", "EnvToL", "EnvToSMTP", "EnvToU",
            "FromU", "FullAddr", "HdrFromL", "HdrFromSMTP", "HdrToL", "HdrToU", "LDAPExpand", "LDAPMailertable",
            "Local_Relay_Auth", "Local_check_mail", "Local_check_rcpt", "Local_check_relay", "Local_clt_features",
            "Local_greet_pause", "Local_localaddr", "Local_srv_features", "Local_tls_client", "Local_tls_rcpt",
            "Local_tls_server", "Local_trust_auth", "Local_try_tls", "Local_check_compat", "Local_check_data",
            "Local_authinfo", "Local_TLS_connection", "Mail11From", "Mail11To", "MailerToTriple", "Mailertable",
            "MasqEnv", "MasqHdr", "MasqRelay", "MasqSMTP", "Parse0", "Parse1", "ParseBcc", "ParseLocal",
            "ParseRecipient", "PseudoToReal", "RateControl", "Rcpt_ok", "Recurse", "RelayTLS", "Relay_ok",
            "STS_Check", "STS_SAN", "STS_disabled", "STS_secure", "SearchList", "Set_SNI", "TLS_NameInList",
            "TLS_connection", "TLS_req", "authinfo", "bcc", "canonify", "check_compat", "check_eoh", "check_other",
            "check_rcpt", "check_relay", "check_mail", "check_data", "check_etrn", "check_expn", "check_vrfy",
            "clt_features", "final", "greet_pause", "localaddr", "parse", "queuegroup", "recipient", "sender",
            "srv_features", "tls_client", "tls_clt_feat_acc", "tls_clt_features", "tls_rcpt", "tls_server",
            "tls_srv_features", "trust_auth", "try_tls");
    private static final Map<String, Integer> SERVICES = Map.of("smtp", 25, "submission", 587, "smtps", 465,
            "submissions", 465, "lmtp", 24);
    private static final Set<String> TIMEOUTS = Set.of("connect", "initial", "helo", "starttls", "auth", "mail",
            "rcpt", "datainit", "datablock", "datafinal", "rset", "quit");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

    private final CfFile cf;
    private final Tables tables;
    private final ImportReport report = new ImportReport();
    /** Lines placed somewhere (mapped or reported), by number. */
    private final Set<Integer> accounted = new HashSet<>();
    private final Set<Integer> mapped = new LinkedHashSet<>();
    private final Map<String, Object> postern = new LinkedHashMap<>();
    private final Set<String> mailerNames = new LinkedHashSet<>(Mailers.builtIn().keySet());
    private final Set<String> userMacros = new LinkedHashSet<>();
    private String hostname;

    private SendmailImporter(CfFile cf, Tables tables) {
        this.cf = cf;
        this.tables = tables == null ? Tables.NONE : tables;
    }

    /**
     * Maps {@code cf}.
     *
     * @throws ImportException for a value that cannot be written in Postern's terms at all (a port
     *                         that is neither a number nor a known service), naming the line
     */
    public static Result importCf(CfFile cf, Tables tables) throws ImportException {
        SendmailImporter importer = new SendmailImporter(cf, tables);
        return importer.run();
    }

    private Result run() throws ImportException {
        Map<String, Object> out = new LinkedHashMap<>();
        hostname(out);
        out.put("daemon-ports", daemonPorts());
        List<Object> clientPorts = clientPorts();
        if (!clientPorts.isEmpty()) {
            out.put("client-ports", clientPorts);
        }
        putIfNotEmpty(out, "limits", limits());
        putIfNotEmpty(out, "queue", queue());
        putIfNotEmpty(out, "timeouts", timeouts());
        Map<String, Object> macros = macros();
        Map<String, Object> rewriting = rewriting();
        Map<String, Object> mailers = mailers(rewriting.keySet());
        putIfNotEmpty(out, "routing", routing());
        putIfNotEmpty(out, "mailers", mailers);
        putIfNotEmpty(out, "rewriting", rewriting);
        putIfNotEmpty(out, "macros", macros);
        Map<String, Object> checks = new LinkedHashMap<>();
        List<Object> headers = headers(checks);
        if (!headers.isEmpty()) {
            out.put("headers", headers);
        }
        putIfNotEmpty(out, "header-checks", checks);
        rest();
        postern.putAll(out);
        return new Result(postern, report, Set.copyOf(mapped));
    }

    // ---- $j -----------------------------------------------------------------------------------

    private void hostname(Map<String, Object> out) {
        cf.macro("j").ifPresent(m -> {
            if (m.value().indexOf('$') < 0 && DOMAIN.matcher(m.value()).matches()) {
                hostname = m.value();
                out.put("hostname", new Commented(source(m.line()), m.value()));
                mapped(m.line());
            } else {
                unmapped(G_MACROS, m.line(), "$j is built from other macros; set postern.hostname to the relay's"
                        + " name (by default Postern uses the machine's host name, as sendmail does)");
            }
        });
    }

    // ---- DaemonPortOptions ----------------------------------------------------------------------

    private List<Object> daemonPorts() throws ImportException {
        List<Object> ports = new ArrayList<>();
        List<CfFile.Option> lines = cf.optionLines("DaemonPortOptions");
        if (lines.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", "MTA");
            p.put("port", 25);
            ports.add(new Commented("no DaemonPortOptions: sendmail's default listener, port 25 on every IPv4"
                    + " address", p));
            report.note(G_LISTENERS, 0, "(no DaemonPortOptions)", "sendmail then listens on port 25 of every IPv4"
                    + " address; so does the imported listener MTA");
            return ports;
        }
        boolean listenMissing = false;
        for (int i = 0; i < lines.size(); i++) {
            CfFile.Option o = lines.get(i);
            Map<String, String> keys = new LinkedHashMap<>();
            String unmappedFamily = null;
            List<String> dropped = new ArrayList<>();
            for (String[] kv : pairs(o.value())) {
                String k = kv[0];
                String v = kv[1];
                switch (k.isEmpty() ? ' ' : k.charAt(0)) {
                    case 'N' -> keys.put("name", v);
                    case 'A' -> keys.put("addr", v);
                    case 'P' -> keys.put("port", String.valueOf(port(v, o.line())));
                    case 'F' -> {
                        String f = v.toLowerCase(Locale.ROOT);
                        if (f.equals("inet") || f.equals("inet6")) {
                            keys.put("family", f);
                        } else {
                            unmappedFamily = f;
                        }
                    }
                    case 'L' -> keys.put("listen", v);
                    case 'M' -> keys.put("modifiers", daemonModifiers(v, dropped));
                    case 'S' -> keys.put("snd-buf-size", v);
                    case 'R' -> keys.put("rcv-buf-size", v);
                    case 'c' -> keys.put("children", v);
                    case 'D' -> dropped.add(k + "=" + v + " (Postern always queues and delivers in the background)");
                    case 'd', 'q', 'r' -> dropped.add(k + "=" + v + " (load-average throttling: Postern bounds"
                            + " sessions with children and postern.limits.max-sessions)");
                    case 'I' -> dropped.add(k + "=" + v + " (Postern has no milter interface; header checks are"
                            + " postern.header-checks)");
                    default -> dropped.add(k + "=" + v + " (not a DaemonPortOptions key)");
                }
            }
            if (unmappedFamily != null) {
                unmapped(G_LISTENERS, o.line(), "Family=" + unmappedFamily + ": Postern listens on TCP over IPv4"
                        + " (inet) and IPv6 (inet6) only; a local socket serves programs on the same host");
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", keys.getOrDefault("name", "Daemon" + i));
            if (keys.containsKey("addr")) {
                p.put("addr", keys.get("addr"));
            }
            p.put("port", Integer.parseInt(keys.getOrDefault("port", "25")));
            p.put("family", keys.getOrDefault("family", "inet"));
            if (keys.containsKey("listen")) {
                p.put("listen", number(keys.get("listen"), o.line(), "Listen"));
            } else {
                listenMissing = true;
            }
            if (keys.containsKey("modifiers") && !keys.get("modifiers").isEmpty()) {
                p.put("modifiers", keys.get("modifiers"));
            }
            for (String buf : List.of("snd-buf-size", "rcv-buf-size")) {
                if (keys.containsKey(buf)) {
                    p.put(buf, number(keys.get(buf), o.line(), buf) + "B");
                }
            }
            if (keys.containsKey("children")) {
                p.put("children", number(keys.get("children"), o.line(), "children"));
            }
            ports.add(new Commented(source(o.line()), p));
            mapped(o.line());
            for (String d : dropped) {
                report.note(G_LISTENERS, o.line().number(), o.line().oneLine(), "not carried over: " + d);
            }
        }
        if (listenMissing) {
            report.note(G_LISTENERS, 0, "(Listen not set)", "sendmail's accept backlog is 10; Postern keeps its"
                    + " default of 128, as 10 is small for a relay");
        }
        return ports;
    }

    private static String daemonModifiers(String value, List<String> dropped) {
        StringBuilder kept = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == ' ' || c == ',') {
                continue;
            }
            try {
                DaemonModifiers.parse(String.valueOf(c));
                if (kept.indexOf(String.valueOf(c)) < 0) {
                    kept.append(c);
                }
            } catch (IllegalArgumentException e) {
                dropped.add("modifier " + c + " (Postern has no such DaemonPortOptions modifier)");
            }
        }
        return kept.toString();
    }

    // ---- ClientPortOptions ----------------------------------------------------------------------

    private List<Object> clientPorts() throws ImportException {
        Map<String, Commented> byFamily = new LinkedHashMap<>();
        Map<String, CfLine> lineOf = new LinkedHashMap<>();
        for (CfFile.Option o : cf.optionLines("ClientPortOptions")) {
            Map<String, Object> p = new LinkedHashMap<>();
            String family = "inet";
            String unmappedFamily = null;
            List<String> dropped = new ArrayList<>();
            Map<String, Object> rest = new LinkedHashMap<>();
            for (String[] kv : pairs(o.value())) {
                String k = kv[0];
                String v = kv[1];
                switch (k.isEmpty() ? ' ' : k.charAt(0)) {
                    case 'F' -> {
                        String f = v.toLowerCase(Locale.ROOT);
                        if (f.equals("inet") || f.equals("inet6")) {
                            family = f;
                        } else {
                            unmappedFamily = f;
                        }
                    }
                    case 'A' -> rest.put("addr", v);
                    case 'P' -> rest.put("port", port(v, o.line()));
                    case 'S' -> rest.put("snd-buf-size", number(v, o.line(), "SndBufSize") + "B");
                    case 'R' -> rest.put("rcv-buf-size", number(v, o.line(), "RcvBufSize") + "B");
                    case 'M' -> {
                        StringBuilder kept = new StringBuilder();
                        for (char c : v.toCharArray()) {
                            if (c == 'h' || c == 'A' || c == 'S') {
                                if (kept.indexOf(String.valueOf(c)) < 0) {
                                    kept.append(c);
                                }
                            } else if (c != ' ' && c != ',') {
                                dropped.add("modifier " + c + " (Postern knows h, A and S)");
                            }
                        }
                        if (!kept.isEmpty()) {
                            rest.put("modifiers", kept.toString());
                        }
                    }
                    default -> dropped.add(k + "=" + v + " (not a ClientPortOptions key)");
                }
            }
            if (unmappedFamily != null) {
                unmapped(G_CLIENT, o.line(), "Family=" + unmappedFamily + ": outbound connections are TCP over IPv4"
                        + " or IPv6");
                continue;
            }
            p.put("family", family);
            p.putAll(rest);
            CfLine earlier = lineOf.put(family, o.line());
            if (earlier != null) {
                // sendmail keeps the last entry for a family; Postern allows one.
                accounted.remove(earlier.number());
                mapped.remove(earlier.number());
                unmapped(G_CLIENT, earlier, "replaced by line " + o.line().number() + " (the same Family; sendmail"
                        + " keeps the last)");
            }
            byFamily.put(family, new Commented(source(o.line()), p));
            mapped(o.line());
            for (String d : dropped) {
                report.note(G_CLIENT, o.line().number(), o.line().oneLine(), "not carried over: " + d);
            }
        }
        if (!byFamily.isEmpty() && byFamily.size() == 1) {
            String only = byFamily.keySet().iterator().next();
            report.note(G_CLIENT, 0, "(ClientPortOptions for " + only + " only)", "with client ports given, Postern"
                    + " connects out only over the families listed; sendmail still uses the other with its defaults."
                    + " Add an entry for " + (only.equals("inet") ? "inet6" : "inet") + " if the relay should use it");
        }
        return new ArrayList<>(byFamily.values());
    }

    // ---- limits, queue, timeouts ---------------------------------------------------------------

    private Map<String, Object> limits() throws ImportException {
        Map<String, Object> limits = new LinkedHashMap<>();
        limit(limits, "MaxMessageSize", "max-message-size", "35MB", n -> n + "B");
        limit(limits, "MaxRecipientsPerMessage", "max-recipients", "1000", n -> n);
        CfFile.Option children = limit(limits, "MaxDaemonChildren", "max-sessions", "1000", n -> n);
        if (children != null) {
            report.note(G_OPTIONS, children.line().number(), children.line().oneLine(), "sendmail counts every"
                    + " child process (queue runs too); postern.limits.max-sessions counts SMTP sessions only");
        }
        CfFile.Option noops = limit(limits, "MaxNOOPCommands", "max-junk-commands", "100", n -> n);
        if (noops != null) {
            report.note(G_OPTIONS, noops.line().number(), noops.line().oneLine(), "sendmail slows a client"
                    + " down past this many useless commands; Postern counts each one past it towards"
                    + " postern.limits.max-errors, and an accepted message starts the count again");
        }
        CfFile.Option throttle = option("ConnectionRateThrottle");
        if (throttle != null) {
            long n = number(throttle.value(), throttle.line(), "ConnectionRateThrottle");
            if (n == 0) {
                matchesDefault(G_OPTIONS, throttle.line(), "0 is off, as Postern's default");
            } else {
                limits.put("connection-rate-throttle", new Commented(source(throttle.line()), n));
                mapped(throttle.line());
            }
        }
        CfFile.Option command = option("Timeout.command");
        if (command != null) {
            limits.put("idle-timeout", new Commented(source(command.line()),
                    SendmailTime.format(time(command, 'm'))));
            mapped(command.line());
        }
        return limits;
    }

    /**
     * A sendmail count limit as {@code postern.limits.<property>}: the option's line if it was mapped,
     * null if it is absent or 0 (no limit in sendmail; Postern always has one, so that is reported).
     */
    private CfFile.Option limit(Map<String, Object> limits, String option, String property, String postern,
            LongFunction<Object> value) throws ImportException {
        CfFile.Option o = option(option);
        if (o == null) {
            return null;
        }
        long n = number(o.value(), o.line(), option);
        if (n == 0) {
            unmapped(G_OPTIONS, o.line(), "0 is no limit in sendmail; Postern always has one"
                    + " (postern.limits." + property + ", default " + postern + ")");
            return null;
        }
        limits.put(property, new Commented(source(o.line()), value.apply(n)));
        mapped(o.line());
        return o;
    }

    private Map<String, Object> queue() throws ImportException {
        Map<String, Object> queue = new LinkedHashMap<>();
        Duration lifetime = null;
        CfFile.Option ret = option("Timeout.queuereturn");
        if (ret != null) {
            lifetime = time(ret, 'd');
            queue.put("lifetime", new Commented(source(ret.line()), SendmailTime.format(lifetime)));
            mapped(ret.line());
        }
        CfFile.Option warn = option("Timeout.queuewarn");
        if (warn != null) {
            Duration d = time(warn, 'h');
            queue.put("warn-after", new Commented(source(warn.line()), d.isZero() ? "0s" : SendmailTime.format(d)));
            mapped(warn.line());
        }
        CfFile.Option age = option("MinQueueAge");
        if (age != null) {
            Duration d = time(age, 'm');
            if (d.isZero()) {
                matchesDefault(G_OPTIONS, age.line(), "no minimum age; Postern retries first after"
                        + " postern.queue.min-backoff (1m)");
            } else {
                queue.put("min-backoff", new Commented(source(age.line()) + " (the nearest equivalent)",
                        SendmailTime.format(d)));
                mapped(age.line());
                String note = "mapped to postern.queue.min-backoff, the nearest equivalent: the delay before the first"
                        + " retry (later ones double, up to max-backoff); sendmail skips, in each queue run, mail tried"
                        + " less than MinQueueAge ago";
                if (d.compareTo(Duration.ofHours(1)) > 0) {
                    queue.put("max-backoff", new Commented("at least min-backoff", SendmailTime.format(d)));
                    note += "; max-backoff is raised to the same value (it may not be shorter)";
                }
                report.note(G_OPTIONS, age.line().number(), age.line().oneLine(), note);
            }
        }
        return queue;
    }

    private Map<String, Object> timeouts() throws ImportException {
        Map<String, Object> timeouts = new LinkedHashMap<>();
        for (CfFile.Option o : cf.options()) {
            if (!o.name().startsWith("Timeout.")) {
                continue;
            }
            String which = o.name().substring("Timeout.".length());
            if (!TIMEOUTS.contains(which) || o != option(o.name())) {
                continue;
            }
            Duration d = time(o, 'm');
            if (d.isZero()) {
                unmapped(G_OPTIONS, o.line(), "0 leaves the timeout to the operating system in sendmail; Postern"
                        + " keeps its default (postern.timeouts." + which + ")");
                continue;
            }
            timeouts.put(which, new Commented(source(o.line()), SendmailTime.format(d)));
            mapped(o.line());
        }
        return timeouts;
    }

    // ---- SMART_HOST and mailertable ------------------------------------------------------------

    private Map<String, Object> routing() {
        Map<String, Object> routing = new LinkedHashMap<>();
        cf.macro("S").ifPresent(m -> {
            if (m.value().isEmpty()) {
                matchesDefault(G_ROUTING, m.line(), "no SMART_HOST: mail goes to the recipients' MX hosts, as"
                        + " Postern does without postern.routing.smart-host");
            } else if (m.value().indexOf('$') >= 0) {
                unmapped(G_ROUTING, m.line(), "the smart host is built from other macros; set"
                        + " postern.routing.smart-host");
            } else {
                String problem = routeProblem(m.value(), Mailers.SMART_HOST_DEFAULT);
                if (problem != null) {
                    unmapped(G_ROUTING, m.line(), problem);
                } else {
                    routing.put("smart-host", new Commented(source(m.line()), m.value()));
                    mapped(m.line());
                }
            }
        });
        CfFile.MapDef mailertable = cf.map("mailertable").orElse(null);
        if (mailertable == null) {
            if (tables.mailertable() != null) {
                report.note(G_ROUTING, 0, "--mailertable " + tables.mailertableName(), "the cf has no K mailertable,"
                        + " so sendmail does not use this table; it is not imported");
            }
            return routing;
        }
        if (tables.mailertable() == null) {
            unmapped(G_MAPS, mailertable.line(), "the mailertable's source was not given (--mailertable FILE, the"
                    + " text makemap reads); its routes are not imported");
            return routing;
        }
        Map<String, Object> domains = new LinkedHashMap<>();
        String name = tables.mailertableName();
        for (MakemapSource.Entry e : MakemapSource.parse(tables.mailertable())) {
            String where = name + " line " + e.line();
            String key = e.key().toLowerCase(Locale.ROOT);
            if (e.value().isEmpty()) {
                report.add(ImportReport.Kind.UNMAPPED, G_ROUTING, 0, where + ": " + e.text(), "no value");
                continue;
            }
            String problem = routeProblem(e.value(), Mailers.DEFAULT);
            if (problem != null) {
                report.add(ImportReport.Kind.UNMAPPED, G_ROUTING, 0, where + ": " + e.text(), problem);
                continue;
            }
            if (key.equals(".")) {
                Object earlier = routing.put("smart-host", new Commented(where + ": the default entry '.'", e.value()));
                report.add(ImportReport.Kind.NOTE, G_ROUTING, 0, where + ": " + e.text(), "the mailertable's default"
                        + " entry becomes postern.routing.smart-host" + (earlier != null
                                ? ", replacing SMART_HOST, as sendmail looks in the mailertable first" : ""));
                continue;
            }
            if (!DOMAIN.matcher(key.startsWith(".") ? key.substring(1) : key).matches()) {
                report.add(ImportReport.Kind.UNMAPPED, G_ROUTING, 0, where + ": " + e.text(), "'" + key
                        + "' is not a domain (Postern routes by domain and .domain for its subdomains)");
                continue;
            }
            if (domains.containsKey("[" + key + "]")) {
                report.add(ImportReport.Kind.UNMAPPED, G_ROUTING, 0, where + ": " + e.text(), "a second entry for "
                        + key + "; makemap keeps the first");
                continue;
            }
            domains.put("[" + key + "]", new Commented(where, e.value()));
        }
        mapped(mailertable.line());
        if (!domains.isEmpty()) {
            routing.put("domains", new Commented(source(mailertable.line()) + ", entries from " + name, domains));
        }
        return routing;
    }

    /** Why a route cannot be used, or null: its syntax (RouteParser) and its mailer (imported or built in). */
    private String routeProblem(String spec, String defaultMailer) {
        try {
            var route = RouteParser.parse(spec, defaultMailer);
            if (route instanceof org.postern.routing.Route.Relay relay && !mailerNames.contains(relay.mailer())) {
                return "no mailer named '" + relay.mailer() + "' (imported or built in: " + String.join(", ",
                        mailerNames) + ")";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    // ---- masquerading and genericstable --------------------------------------------------------

    private Map<String, Object> rewriting() {
        Map<String, Object> masquerade = new LinkedHashMap<>();
        List<CfLine> sources = new ArrayList<>();
        CfFile.Macro as = cf.macro("M").orElse(null);
        if (as != null) {
            if (as.value().isEmpty()) {
                matchesDefault(G_REWRITING, as.line(), "no MASQUERADE_AS: no masquerading, as Postern's default");
            } else if (as.value().indexOf('$') >= 0 || !DOMAIN.matcher(as.value()).matches()) {
                unmapped(G_REWRITING, as.line(), "the masquerade host is not a plain domain; set"
                        + " postern.rewriting.HdrFromSMTP.masquerade.as");
            } else {
                masquerade.put("as", as.value());
                sources.add(as.line());
            }
        }
        boolean masquerading = !masquerade.isEmpty();
        if (masquerading) {
            List<String> domains = classList("M", sources);
            boolean limited = cf.builtWith("limited_masquerade");
            if (!limited) {
                // sendmail also masquerades class {w}: localhost, $j and the names of F{w}.
                for (String w : classList("w", sources)) {
                    if (!domains.contains(w) && DOMAIN.matcher(w).matches()) {
                        domains.add(w);
                    }
                }
                if (hostname != null && !domains.contains(hostname)) {
                    domains.add(hostname);
                }
                for (CfFile.ClassDef f : cf.classDefs("w")) {
                    if (f.file() != null) {
                        unmapped(G_CLASSES, f.line(), "sendmail masquerades the names in this file (class {w});"
                                + " Postern masquerades only postern.rewriting.*.masquerade.domains: add them there");
                    }
                }
            }
            if (!domains.isEmpty()) {
                masquerade.put("domains", domains);
            }
            if (cf.builtWith("masquerade_entire_domain") || rulesMention("MasqHdr", "$* $=M")) {
                masquerade.put("entire-domain", true);
            }
            List<String> exceptions = classList("N", sources);
            if (!exceptions.isEmpty()) {
                masquerade.put("exceptions", exceptions);
            }
            List<String> exposed = classList("E", sources);
            if (!exposed.isEmpty()) {
                masquerade.put("exposed-users", exposed);
            }
        }
        Map<String, Object> generics = generics(sources);
        Map<String, Object> set = new LinkedHashMap<>();
        if (!generics.isEmpty()) {
            set.put("generics", generics);
        }
        if (masquerading) {
            set.put("masquerade", masquerade);
        }
        Map<String, Object> rewriting = new LinkedHashMap<>();
        if (set.isEmpty()) {
            return rewriting;
        }
        sources.forEach(this::mapped);
        String from = "from " + lineList(sources);
        rewriting.put("HdrFromSMTP", new Commented("header senders (S= of the SMTP mailers), " + from, set));
        boolean envelope = cf.builtWith("masquerade_envelope") || rulesMention("MasqEnv", "$>MasqHdr");
        if (envelope) {
            rewriting.put("EnvFromSMTP", new Commented("FEATURE(masquerade_envelope): the envelope sender too", set));
        } else {
            report.note(G_REWRITING, 0, "(no FEATURE(masquerade_envelope))", "headers only are rewritten, as in"
                    + " sendmail: the envelope sender keeps its domain");
        }
        // smtp.m4's relay mailer names MasqRelay for recipients with allmasquerade: the header set's rules.
        boolean masqRelay = cf.mailers().stream().anyMatch(l -> l.text().contains("MasqRelay"));
        if (masqRelay) {
            rewriting.put("MasqRelay", new Commented("smtp.m4's MasqRelay: the header masquerading, for the relay"
                    + " mailer", set));
        }
        return rewriting;
    }

    private Map<String, Object> generics(List<CfLine> sources) {
        Map<String, Object> generics = new LinkedHashMap<>();
        CfFile.MapDef map = cf.map("generics").orElse(null);
        if (map == null) {
            if (tables.genericstable() != null) {
                report.note(G_REWRITING, 0, "--genericstable " + tables.genericstableName(), "the cf has no K generics"
                        + " (FEATURE(genericstable)), so sendmail does not use this table; it is not imported");
            }
            return generics;
        }
        if (tables.genericstable() == null) {
            unmapped(G_MAPS, map.line(), "the genericstable's source was not given (--genericstable FILE, the text"
                    + " makemap reads); it is not imported");
            return generics;
        }
        List<String> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        String name = tables.genericstableName();
        for (MakemapSource.Entry e : MakemapSource.parse(tables.genericstable())) {
            String where = name + " line " + e.line();
            String line = e.key() + " " + e.value();
            try {
                GenericsTable.parseSource(List.of(line), where);
            } catch (IllegalArgumentException ex) {
                report.add(ImportReport.Kind.UNMAPPED, G_REWRITING, 0, where + ": " + e.text(),
                        ex.getMessage().replace(where + " line 1: ", ""));
                continue;
            }
            if (!keys.add(e.key().toLowerCase(Locale.ROOT))) {
                report.add(ImportReport.Kind.UNMAPPED, G_REWRITING, 0, where + ": " + e.text(), "a second entry for "
                        + e.key() + "; makemap keeps the first");
                continue;
            }
            entries.add(line);
        }
        if (entries.isEmpty()) {
            report.note(G_REWRITING, map.line().number(), map.line().oneLine(), name + " has no entries to import");
            accounted.add(map.line().number());
            return generics;
        }
        sources.add(map.line());
        List<String> domains = classList("G", sources);
        if (!domains.isEmpty()) {
            generics.put("domains", domains);
        }
        if (cf.builtWith("generics_entire_domain")) {
            generics.put("entire-domain", true);
        }
        generics.put("entries", entries);
        return generics;
    }

    /** The words of a class from its C lines, whose lines are added to {@code sources}; F lines are reported. */
    private List<String> classList(String name, List<CfLine> sources) {
        List<String> words = new ArrayList<>();
        for (CfFile.ClassDef c : cf.classDefs(name)) {
            if (c.file() != null) {
                if (!name.equals("w")) {
                    unmapped(G_CLASSES, c.line(), "a class read from a file at startup: list its words in the YAML"
                            + " instead (Postern reads no class files)");
                }
                continue;
            }
            for (String w : c.words()) {
                if (!words.contains(w)) {
                    words.add(w);
                }
            }
            sources.add(c.line());
        }
        return words;
    }

    private boolean rulesMention(String ruleset, String text) {
        CfRuleset r = cf.rulesets().get(ruleset);
        return r != null && r.rules().stream().anyMatch(l -> l.text().contains(text));
    }

    // ---- M lines ---------------------------------------------------------------------------------

    private Map<String, Object> mailers(Set<String> rewritingSets) {
        Map<String, Object> mailers = new LinkedHashMap<>();
        Set<String> knownSets = new HashSet<>(STANDARD_REWRITING);
        knownSets.addAll(rewritingSets);
        Map<String, MailerDefinition> builtIn = Mailers.builtIn();
        for (CfLine line : cf.mailers()) {
            List<String> fields = mailerFields(line.text());
            String name = fields.get(0).substring(1).strip();
            if (name.equals("local") || name.equals("prog") || name.equals("*file*") || name.equals("*include*")) {
                unmapped(G_MAILERS, line, "the " + name + " mailer delivers on this host (mailboxes, programs,"
                        + " files); Postern is a relay and has no local delivery");
                continue;
            }
            List<String> kept = new ArrayList<>();
            kept.add("M" + name);
            List<String> dropped = new ArrayList<>();
            for (String f : fields.subList(1, fields.size())) {
                String field = f.strip();
                if (field.isEmpty()) {
                    continue;
                }
                char code = field.charAt(0);
                int eq = field.indexOf('=');
                String value = eq < 0 ? "" : field.substring(eq + 1).strip();
                switch (code) {
                    case 'D', 'U', 'N', '/', 'Q' -> dropped.add(field + " (" + rejectedField(code) + ")");
                    case 'F' -> {
                        StringBuilder flags = new StringBuilder();
                        for (char c : value.toCharArray()) {
                            MailerFlags.Treatment t = MailerFlags.treatment(c);
                            if (Character.isWhitespace(c)) {
                                continue;
                            }
                            if (t == null || t.status() == MailerFlags.Status.REJECTED) {
                                dropped.add("flag " + c + " (" + (t == null ? "not a sendmail mailer flag" : t.reason())
                                        + ")");
                            } else if (flags.indexOf(String.valueOf(c)) < 0) {
                                flags.append(c);
                            }
                        }
                        kept.add("F=" + flags);
                    }
                    case 'S', 'R' -> {
                        String unknown = unknownRuleSets(value, knownSets);
                        if (unknown == null) {
                            kept.add(field);
                        } else {
                            dropped.add(field + " (rewriting rule set " + unknown + " is sendmail rewriting code,"
                                    + " which Postern does not have: these addresses are not rewritten)");
                        }
                    }
                    default -> kept.add(field);
                }
            }
            String candidate = String.join(", ", kept);
            MailerDefinition parsed;
            try {
                parsed = MailerLineParser.parse(candidate);
            } catch (IllegalArgumentException e) {
                unmapped(G_MAILERS, line, e.getMessage());
                continue;
            }
            for (String d : dropped) {
                report.note(G_MAILERS, line.number(), "mailer " + name, "not carried over: " + d);
            }
            if (parsed.equals(builtIn.get(name)) && dropped.isEmpty()) {
                matchesDefault(G_MAILERS, line, "the same as Postern's built-in " + name + " mailer (smtp.m4)");
                continue;
            }
            mailers.put(name, new Commented(source(line), candidate));
            mailerNames.add(name);
            mapped(line);
        }
        return mailers;
    }

    /** The M line's fields: the name first, then each {@code X=value}, split at commas outside quotes. */
    static List<String> mailerFields(String text) {
        String t = text.replace('\n', ' ').replace('\t', ' ').strip();
        List<String> fields = new ArrayList<>();
        int p = 1;
        while (p < t.length() && t.charAt(p) != ',' && !Character.isWhitespace(t.charAt(p))) {
            p++;
        }
        fields.add(t.substring(0, p));
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = p; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                cur.append(c).append(t.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                fields.add(cur.toString().strip());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) {
            fields.add(cur.toString().strip());
        }
        fields.removeIf(String::isEmpty);
        if (fields.isEmpty() || !fields.get(0).startsWith("M")) {
            fields.add(0, "M");
        }
        return fields;
    }

    private static String rejectedField(char code) {
        return switch (code) {
            case 'D' -> "a program mailer's working directory; Postern runs no programs";
            case 'U' -> "the user a program mailer runs as; Postern runs no programs";
            case 'N' -> "a program mailer's nice increment; Postern runs no programs";
            case '/' -> "a program mailer's chroot; Postern runs no programs";
            default -> "a sendmail queue group; Postern has one queue, scheduled per destination";
        };
    }

    private static String unknownRuleSets(String value, Set<String> known) {
        RewritingRef ref;
        try {
            ref = RewritingRef.parse(value);
        } catch (IllegalArgumentException e) {
            return value;
        }
        for (String side : new String[] {ref.envelope(), ref.header()}) {
            if (side != null && known.stream().noneMatch(k -> k.equalsIgnoreCase(side))) {
                return side;
            }
        }
        return null;
    }

    // ---- D lines --------------------------------------------------------------------------------

    private Map<String, Object> macros() {
        Map<String, Object> macros = new LinkedHashMap<>();
        for (CfFile.Macro m : cf.macros()) {
            if (m.name().length() > 1 && MacroNames.isUserName(m.name()) && m.value().indexOf('$') < 0
                    && m.value().chars().allMatch(c -> c >= 32 && c != 127) && cf.macro(m.name()).get() == m) {
                macros.put(m.name(), new Commented(source(m.line()), m.value()));
                userMacros.add(m.name());
                mapped(m.line());
            }
        }
        return macros;
    }

    private void reportMacro(CfFile.Macro m) {
        String reason = switch (m.name()) {
            case "n" -> m.value().equals("MAILER-DAEMON") ? null : "Postern's bounces come from MAILER-DAEMON";
            case "Z" -> "$Z is the configuration version; in Postern it is Postern's version (postern.macros.Z sets"
                    + " it), not sendmail's";
            case "H" -> "MAIL_HUB forwards local mail; Postern has no local delivery";
            case "R" -> "LUSER_RELAY takes mail for unknown local users; Postern has no local delivery";
            case "m" -> "the local domain, used by sendmail's rule sets; Postern derives nothing from it";
            case "w" -> "the host name, used by sendmail's rule sets; Postern uses postern.hostname";
            case "M", "S", "j" -> "see the entries above";
            default -> m.name().length() > 1
                    ? "a macro with a value Postern cannot use as it stands (it names other macros, or is reserved)"
                    : "a macro used by sendmail's rule sets or header lines; Postern sets its own macros"
                            + " (docs/sendmail-mapping.md, Macros)";
        };
        if (reason == null) {
            matchesDefault(G_MACROS, m.line(), "Postern's bounces come from MAILER-DAEMON too");
        } else if (cf.macro(m.name()).get() != m) {
            unmapped(G_MACROS, m.line(), "replaced by a later definition of the same macro");
        } else {
            unmapped(G_MACROS, m.line(), reason);
        }
    }

    // ---- H lines and header check rule sets ---------------------------------------------------

    private List<Object> headers(Map<String, Object> checks) {
        HeaderRulesetTranslator translator = new HeaderRulesetTranslator(
                cf.option("OperatorChars").map(CfFile.Option::value).orElse(null));
        List<Object> out = new ArrayList<>();
        // Rules grouped by header name: a configured rule replaces all defaults of its name, so a name is
        // either left to the defaults (when the cf's lines for it are exactly proto.m4's) or written whole.
        Map<String, List<CfLine>> rulesByName = new LinkedHashMap<>();
        Map<CfLine, HeaderLine> parsed = new LinkedHashMap<>();
        Set<String> boundHeaders = new HashSet<>();
        for (CfLine line : cf.headers()) {
            HeaderLine h;
            try {
                h = HeaderLineParser.parse(line.text());
            } catch (IllegalArgumentException e) {
                unmapped(G_HEADERS, line, e.getMessage());
                continue;
            }
            parsed.put(line, h);
            if (h instanceof HeaderRule r) {
                rulesByName.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(line);
            }
        }
        Map<String, List<String>> defaultsByName = new LinkedHashMap<>();
        for (String d : HeaderDefaults.LINES) {
            HeaderRule r = (HeaderRule) HeaderLineParser.parse(d);
            defaultsByName.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(normalize(d));
        }
        for (CfLine line : cf.headers()) {
            HeaderLine h = parsed.get(line);
            if (h instanceof HeaderRule r) {
                List<CfLine> same = rulesByName.get(r.key());
                List<String> texts = same.stream().map(l -> normalize(l.text())).toList();
                if (texts.equals(defaultsByName.get(r.key()))) {
                    matchesDefault(G_HEADERS, line, "sendmail's standard header line (proto.m4), also Postern's");
                    continue;
                }
                String problem = headerRuleProblem(r, line);
                if (problem != null) {
                    unmapped(G_HEADERS, line, problem);
                    continue;
                }
                out.add(new Commented(source(line), line.text()));
                mapped(line);
            } else if (h instanceof HeaderValidation v) {
                validation(v, line, translator, checks, boundHeaders, out);
            }
        }
        // A standard line the cf does not have: sendmail would not add that header, so neither should Postern.
        defaultsByName.forEach((key, lines) -> {
            if (!rulesByName.containsKey(key)) {
                HeaderRule r = (HeaderRule) HeaderLineParser.parse(HeaderDefaults.LINES.stream()
                        .filter(d -> ((HeaderRule) HeaderLineParser.parse(d)).key().equals(key)).findFirst().get());
                if (r.is("Received")) {
                    report.note(G_HEADERS, 0, "(no Received line)", "Postern always adds a Received: header at"
                            + " receipt (RFC 5321 §4.4)");
                } else {
                    out.add(new Commented("the cf has no " + r.name() + " line: an empty template turns Postern's"
                            + " default off", "H" + r.name() + ":"));
                    report.note(G_HEADERS, 0, "(no " + r.name() + " line)", "Postern's default " + r.name()
                            + " rule is turned off, as sendmail would not add the header");
                }
            }
        });
        return out;
    }

    private void validation(HeaderValidation v, CfLine line, HeaderRulesetTranslator translator,
            Map<String, Object> checks, Set<String> boundHeaders, List<Object> out) {
        CfRuleset ruleset = cf.rulesets().get(v.ruleset());
        if (ruleset == null) {
            unmapped(G_HEADERS, line, "rule set " + v.ruleset() + " is not defined in the cf");
            return;
        }
        if (!boundHeaders.add(v.name().toLowerCase(Locale.ROOT))) {
            unmapped(G_HEADERS, line, "a second check for " + v.name() + "; Postern binds one rule set to a header");
            return;
        }
        if (!checks.containsKey(v.ruleset())) {
            HeaderRulesetTranslator.Translation t = translator.translate(ruleset);
            if (!t.translated()) {
                unmapped(G_HEADERS, line, "rule set " + v.ruleset() + " cannot be translated: " + t.failure());
                unmapped(G_RULESETS, ruleset.line(), "header check rule set (lines " + ruleset.lineRange() + ", "
                        + ruleset.rules().size() + " rules) cannot be translated: " + t.failure());
                ruleset.rules().forEach(r -> accounted.add(r.number()));
                boundHeaders.remove(v.name().toLowerCase(Locale.ROOT));
                return;
            }
            List<Object> list = new ArrayList<>();
            for (HeaderRulesetTranslator.Check c : t.checks()) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("regex", c.regex());
                check.put("action", c.action());
                if (c.text() != null) {
                    check.put("text", c.text());
                }
                list.add(new Commented(source(c.rule()), check));
                mapped(c.rule());
            }
            checks.put(v.ruleset(), new Commented(source(ruleset.line()) + " (lines " + ruleset.lineRange() + ")",
                    list));
            mapped(ruleset.line());
            for (String note : t.notes()) {
                report.note(G_RULESETS, ruleset.line().number(), "S" + v.ruleset(), note);
            }
        }
        out.add(new Commented(source(line), line.text()));
        mapped(line);
    }

    /** Why Postern could not start with this rule (an unknown or unset macro), or null. */
    private String headerRuleProblem(HeaderRule r, CfLine line) {
        MacroCatalog.Context context = r.is("Received") ? MacroCatalog.Context.RECEIPT : MacroCatalog.Context.DELIVERY;
        try {
            MacroCatalog.check(r.template(), context, userMacros, "H line");
            if (r.macroCondition() != null) {
                MacroCatalog.check(r.macroCondition(), context, userMacros, "H line");
            }
            if (r.mailerFlags() != null) {
                for (char c : r.mailerFlags().toCharArray()) {
                    if (MailerFlags.treatment(c) == null) {
                        return "?" + r.mailerFlags() + "? names '" + c + "', which is not a mailer flag";
                    }
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage().replace("H line: ", "");
        }
    }

    private static String normalize(String headerLine) {
        return headerLine.replace("\r\n", "\n").strip();
    }

    // ---- everything else -------------------------------------------------------------------------

    private void rest() {
        int standard = 0;
        for (CfFile.Option o : cf.options()) {
            if (accounted.contains(o.line().number())) {
                continue;
            }
            if (o.name().equals("OperatorChars")) {
                matchesDefault(G_OPTIONS, o.line(), "the token characters of rules; used to translate the header"
                        + " check rule sets, nothing to configure");
                continue;
            }
            if (cf.option(o.name()).get() != o && !o.name().endsWith("PortOptions")) {
                unmapped(G_OPTIONS, o.line(), "replaced by a later line for the same option");
                continue;
            }
            UnmappedOptions.Decision d = UnmappedOptions.decide(o.name(), o.value());
            if (d.kind() == ImportReport.Kind.DEFAULT) {
                matchesDefault(G_OPTIONS, o.line(), d.reason());
            } else {
                unmapped(G_OPTIONS, o.line(), d.reason());
            }
        }
        for (CfFile.Macro m : cf.macros()) {
            if (!accounted.contains(m.line().number())) {
                reportMacro(m);
            }
        }
        for (CfFile.ClassDef c : cf.classes()) {
            if (!accounted.contains(c.line().number())) {
                unmapped(G_CLASSES, c.line(), classReason(c.name()));
            }
        }
        for (CfFile.MapDef k : cf.maps()) {
            if (!accounted.contains(k.line().number())) {
                unmapped(G_MAPS, k.line(), mapReason(k));
            }
        }
        for (CfRuleset r : cf.rulesets().values()) {
            if (accounted.contains(r.line().number())) {
                continue;
            }
            String what = "lines " + r.lineRange() + ", " + r.rules().size() + " rules";
            if (STANDARD_RULESETS.contains(r.name()) && !(r.name().startsWith("Local_") && !r.rules().isEmpty())) {
                standard++;
                matchesDefault(G_RULESETS, r.line(), "standard (" + what + ")");
            } else if (r.rules().isEmpty()) {
                matchesDefault(G_RULESETS, r.line(), "an empty rule set");
            } else {
                unmapped(G_RULESETS, r.line(), "rule set of your own (" + what + "): Postern has no rewriting"
                        + " language; relay decisions are postern.policy, routes postern.routing, content checks"
                        + " postern.header-checks");
            }
            r.rules().forEach(rule -> accounted.add(rule.number()));
        }
        if (standard > 0) {
            report.note(G_RULESETS, 0, "(" + standard + " standard rule sets)", "the rule sets marked standard are"
                    + " written by sendmail's m4 files: address parsing, routing, relay checks and rewriting that"
                    + " Postern does itself, configured by the keys below; nothing of them is carried over");
        }
        for (CfLine l : cf.others()) {
            if (accounted.contains(l.number())) {
                continue;
            }
            switch (l.command()) {
                case 'V' -> {
                    if (l.text().startsWith("V10")) {
                        matchesDefault(G_OTHER, l, "configuration version 10, the syntax the importer reads");
                    } else {
                        unmapped(G_OTHER, l, "the importer reads version 10 configuration files; check the result");
                    }
                }
                case 'P' -> unmapped(G_OTHER, l, "Precedence: values; Postern does not order its queue by precedence");
                case 'T' -> unmapped(G_OTHER, l, "trusted users may set the sender with -f; Postern has no local"
                        + " submission");
                case 'E' -> unmapped(G_OTHER, l, "environment for program mailers; Postern runs no programs");
                case 'Q' -> unmapped(G_OTHER, l, "a queue group; Postern has one queue, scheduled per destination");
                case 'R' -> unmapped(G_OTHER, l, "a rule outside any rule set");
                default -> unmapped(G_OTHER, l, "not recognised by the importer");
            }
        }
        for (CfLine l : cf.lines()) {
            if (!accounted.contains(l.number())) {
                unmapped(G_OTHER, l, "not recognised by the importer");
            }
        }
        List<String> m4 = cf.m4Sources().stream().map(CfFile.M4Source::name).toList();
        if (!m4.isEmpty()) {
            report.note(G_GENERAL, 0, "built from " + String.join(", ", m4), "what these m4 files wrote is accounted"
                    + " for line by line below");
        }
        report.note(G_GENERAL, 0, "(relay policy)", "sendmail relays for class {R}, the access database and"
                + " authenticated clients; Postern relays for postern.policy.relay-networks (default loopback only)"
                + " and authenticated clients (postern.auth): set relay-networks to your clients' networks");
    }

    private static String classReason(String name) {
        return switch (name) {
            case "w" -> "the relay's own names, for local delivery; Postern delivers nothing locally";
            case "R" -> "relay domains: Postern decides relaying by client (postern.policy.relay-networks) and AUTH,"
                    + " not by recipient domain";
            case "E" -> "exposed users matter only with masquerading, which this cf does not configure";
            case "M", "N" -> "masquerade domains matter only with MASQUERADE_AS, which this cf does not set";
            case "G" -> "generics domains matter only with the genericstable, which is not imported";
            case "P" -> "pseudo-domains, used by sendmail's rule sets";
            case "O", ".", "[" -> "characters used by sendmail's rule sets";
            case "ResOk" -> "resolver results, used by sendmail's rule sets";
            case "TrustAuthMech" -> "Postern trusts any successful AUTH (PLAIN or LOGIN, under TLS)";
            case "VirtHost" -> "virtual hosting is local delivery";
            default -> "a class used by sendmail's rule sets, which Postern does not have";
        };
    }

    private static String mapReason(CfFile.MapDef k) {
        return switch (k.name()) {
            case "access" -> "the access database: Postern decides relaying by postern.policy.relay-networks and"
                    + " AUTH; per-sender, per-client and DNS blocklist rules are not imported";
            case "virtuser", "aliases", "local", "bestmx" -> "used for local delivery or by rule sets; Postern is a relay";
            case "authinfo" -> "outbound credentials are postern.routing.auth.<host>";
            case "domaintable" -> "FEATURE(domaintable): postern.rewriting.<set>.domain-table takes its entries; the"
                    + " table itself is not imported";
            default -> "a map" + (k.type().isEmpty() ? "" : " of type " + k.type()) + " used by sendmail's rule sets,"
                    + " which Postern does not have";
        };
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private CfFile.Option option(String name) {
        return cf.option(name).orElse(null);
    }

    private Duration time(CfFile.Option o, char defaultUnit) throws ImportException {
        try {
            return SendmailTime.parse(o.value(), defaultUnit);
        } catch (IllegalArgumentException e) {
            throw new ImportException("line " + o.line().number() + ": " + o.name() + ": " + e.getMessage());
        }
    }

    private static long number(String value, CfLine line, String what) throws ImportException {
        String v = value.strip();
        if (!v.matches("[0-9]{1,18}")) {
            throw new ImportException("line " + line.number() + ": " + what + "=" + v + " is not a number");
        }
        return Long.parseLong(v);
    }

    private static int port(String value, CfLine line) throws ImportException {
        String v = value.strip();
        Integer service = SERVICES.get(v.toLowerCase(Locale.ROOT));
        if (service != null) {
            return service;
        }
        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 65535) {
            throw new ImportException("line " + line.number() + ": Port=" + v + " is neither a port number nor a"
                    + " service Postern knows (" + String.join(", ", new java.util.TreeSet<>(SERVICES.keySet())) + ")");
        }
        return Integer.parseInt(v);
    }

    /** {@code Key=value, Key=value} as sendmail's PortOptions parsers split them. */
    private static List<String[]> pairs(String value) {
        List<String[]> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            out.add(eq < 0 ? new String[] {p, ""} : new String[] {p.substring(0, eq).strip(), p.substring(eq + 1).strip()});
        }
        return out;
    }

    private static void putIfNotEmpty(Map<String, Object> out, String key, Map<String, Object> value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static String source(CfLine line) {
        return "line " + line.number() + ": " + clip(line.oneLine());
    }

    private static String lineList(List<CfLine> lines) {
        return "lines " + String.join(", ", lines.stream().map(CfLine::number).distinct().sorted()
                .map(String::valueOf).toList());
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }

    private void mapped(CfLine line) {
        accounted.add(line.number());
        mapped.add(line.number());
    }

    private void unmapped(String group, CfLine line, String reason) {
        accounted.add(line.number());
        report.unmapped(group, line, reason);
    }

    private void matchesDefault(String group, CfLine line, String reason) {
        accounted.add(line.number());
        report.matchesDefault(group, line, reason);
    }
}
