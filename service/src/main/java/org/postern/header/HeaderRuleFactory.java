package org.postern.header;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.postern.config.DaemonModifiers;
import org.postern.config.DaemonPortProperties;
import org.postern.config.HeaderCheckProperties;
import org.postern.config.HeaderRuleProperties;
import org.postern.config.PosternProperties;
import org.postern.macro.MacroCatalog;
import org.postern.macro.MacroNames;
import org.postern.macro.Macros;
import org.postern.macro.StandardMacros;
import org.postern.smtp.IpLiteral;
import org.postern.smtp.server.SmtpServerConfiguration;

/**
 * Builds the header rules from {@code postern.headers}, {@code postern.header-checks} and
 * {@code postern.macros}, at startup and at each configuration refresh. Every failure names the
 * property: a malformed H line, an unknown macro or flag, an undefined ruleset, a regular
 * expression that does not compile.
 */
public final class HeaderRuleFactory {

    private HeaderRuleFactory() {
    }

    /** @throws IllegalArgumentException naming the property and the reason */
    public static HeaderRules rules(PosternProperties properties) {
        Map<String, String> macros = macros(properties.macros());
        List<HeaderRules.Configured> lines = new ArrayList<>();
        List<HeaderRuleProperties> headers = properties.headers();
        for (int i = 0; i < headers.size(); i++) {
            String where = "postern.headers[" + i + "]";
            try {
                lines.add(new HeaderRules.Configured(where, HeaderLineParser.parse(headers.get(i).toLine())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        Map<String, List<HeaderCheck>> rulesets = new HashMap<>();
        properties.headerChecks().forEach((name, checks) -> rulesets.put(name, checks(name, checks)));
        return HeaderRules.build(lines, rulesets, macros, SmtpServerConfiguration.hostname(properties.hostname()),
                listenerMacros(properties.daemonPorts()));
    }

    /** {@code postern.macros}: names an operator may define, single-line printable values. */
    static Map<String, String> macros(Map<String, String> configured) {
        configured.forEach((name, value) -> {
            String where = "postern.macros." + name;
            String plain = MacroNames.normalize(name);
            if (!plain.equals(name)) {
                throw new IllegalArgumentException(where + ": give the name without braces");
            }
            if (!MacroNames.isUserName(name)) {
                String why = MacroCatalog.find(name).map(e -> MacroNames.display(name) + " is set by Postern ("
                        + e.meaning() + ")").orElse("operator macros are an upper-case letter or a name starting with"
                        + " one (letters, digits, '_'), as sendmail reserves the others");
                throw new IllegalArgumentException(where + ": " + why);
            }
            if (value == null || !value.chars().allMatch(c -> c >= 32 && c != 127) || value.indexOf('$') >= 0) {
                throw new IllegalArgumentException(where + ": the value must be one line of text without '$' (it is"
                        + " used as it is, not expanded)");
            }
        });
        return Map.copyOf(configured);
    }

    private static List<HeaderCheck> checks(String ruleset, List<HeaderCheckProperties> configured) {
        String where = "postern.header-checks." + ruleset;
        if (!HeaderValidation.isRulesetName(ruleset)) {
            throw new IllegalArgumentException(where + ": '" + ruleset + "' is not a ruleset name (letters, digits"
                    + " and '_')");
        }
        if (configured == null || configured.isEmpty()) {
            throw new IllegalArgumentException(where + ": a ruleset needs at least one check");
        }
        List<HeaderCheck> checks = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            HeaderCheckProperties p = configured.get(i);
            Pattern regex;
            try {
                regex = Pattern.compile(p.regex());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + "[" + i + "].regex: " + e.getDescription() + " in \""
                        + p.regex() + "\"", e);
            }
            try {
                checks.add(new HeaderCheck(regex, p.action(), p.text()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "[" + i + "].text: " + e.getMessage(), e);
            }
        }
        return checks;
    }

    /** Each listener's {@code ${daemon_*}} macros, for delivery (the envelope keeps the listener's name). */
    static Map<String, Macros> listenerMacros(List<DaemonPortProperties> ports) {
        Map<String, Macros> byName = new HashMap<>();
        for (DaemonPortProperties p : ports) {
            InetAddress address;
            try {
                address = IpLiteral.parse(p.addr(), p.family());
            } catch (IllegalArgumentException e) {
                continue; // reported by the listener's own wiring, naming its property
            }
            StringBuilder flags = new StringBuilder();
            DaemonModifiers.parse(p.modifiers()).stream().sorted().forEach(m -> flags.append(m.flag()));
            byName.put(p.name(), StandardMacros.daemon(Macros.builder(), p.name(), address, p.family(), p.port(),
                    flags.toString()).build());
        }
        return byName;
    }
}
