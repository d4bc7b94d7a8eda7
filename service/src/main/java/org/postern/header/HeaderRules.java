package org.postern.header;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.macro.MacroCatalog;
import org.postern.macro.MacroValues;
import org.postern.macro.Macros;
import org.postern.macro.StandardMacros;

/**
 * The header lines in force, checked and split by where they apply: the {@code Received:} rule,
 * expanded at receipt with the session's macros; the other rules, applied at delivery per mailer;
 * and the header checks, run at DATA. Also the macros that come from the configuration ({@code $j},
 * {@code $v}, {@code postern.macros}) and, per listener name, the {@code ${daemon_*}} macros for
 * delivery.
 *
 * <p>Configured lines and the defaults ({@link HeaderDefaults}): a configured rule for a header
 * name replaces every default rule for that name, in the default's place; rules for other names
 * follow the defaults, in configured order. An empty template disables a rule.
 *
 * @param received       the Received: rule
 * @param deliveryRules  every other rule, in order
 * @param checks         the header checks
 * @param configMacros   the macros the configuration sets
 * @param listenerMacros listener name → its {@code ${daemon_*}} macros
 */
public record HeaderRules(HeaderRule received, List<HeaderRule> deliveryRules, HeaderChecks checks,
        Macros configMacros, Map<String, Macros> listenerMacros) {

    private static final System.Logger log = System.getLogger(HeaderRules.class.getName());

    public HeaderRules {
        deliveryRules = List.copyOf(deliveryRules);
        listenerMacros = Map.copyOf(listenerMacros);
    }

    /** One configured line and the property it came from, for error messages. */
    public record Configured(String property, HeaderLine line) {
    }

    /** The defaults alone, for {@code hostname}. */
    public static HeaderRules defaults(String hostname) {
        return build(List.of(), Map.of(), Map.of(), hostname, Map.of());
    }

    /**
     * Merges the configured lines with the defaults and checks them.
     *
     * @param lines      the configured lines ({@code postern.headers})
     * @param rulesets   the header check rulesets ({@code postern.header-checks})
     * @param userMacros the operator's macros ({@code postern.macros})
     * @throws IllegalArgumentException naming the property and the reason: an unknown macro, a macro
     *         with no value where the rule is expanded, a condition on Received:, an undefined ruleset, …
     */
    public static HeaderRules build(List<Configured> lines, Map<String, List<HeaderCheck>> rulesets,
            Map<String, String> userMacros, String hostname, Map<String, Macros> listenerMacros) {
        Set<String> userNames = userMacros.keySet();
        Map<String, List<Configured>> configuredByName = new LinkedHashMap<>();
        List<Configured> validations = new ArrayList<>();
        for (Configured c : lines) {
            if (c.line() instanceof HeaderRule r) {
                configuredByName.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(c);
            } else {
                validations.add(c);
            }
        }

        List<Configured> merged = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (HeaderRule d : HeaderDefaults.rules()) {
            List<Configured> replacement = configuredByName.get(d.key());
            if (replacement == null) {
                merged.add(new Configured("the default " + d.name() + " rule", d));
            } else if (placed.add(d.key())) {
                merged.addAll(replacement);
            }
        }
        configuredByName.forEach((key, configured) -> {
            if (!placed.contains(key)) {
                merged.addAll(configured);
            }
        });

        HeaderRule received = null;
        List<HeaderRule> delivery = new ArrayList<>();
        for (Configured c : merged) {
            HeaderRule r = (HeaderRule) c.line();
            if (r.is("Received")) {
                if (received != null) {
                    throw new IllegalArgumentException(c.property() + ": a second Received rule; Postern adds one"
                            + " Received header, at receipt");
                }
                if (r.mailerFlags() != null || r.macroCondition() != null) {
                    throw new IllegalArgumentException(c.property() + ": the Received rule takes no ?…? condition:"
                            + " it is added at receipt, to every message (RFC 5321 §4.4)");
                }
                if (r.template().source().isBlank()) {
                    throw new IllegalArgumentException(c.property() + ": the Received rule cannot be empty: every"
                            + " message gets a Received header (RFC 5321 §4.4)");
                }
                MacroCatalog.check(r.template(), MacroCatalog.Context.RECEIPT, userNames, c.property());
                received = r;
            } else {
                MacroCatalog.check(r.template(), MacroCatalog.Context.DELIVERY, userNames, c.property());
                if (r.macroCondition() != null) {
                    MacroCatalog.check(r.macroCondition(), MacroCatalog.Context.DELIVERY, userNames, c.property());
                }
                delivery.add(r);
            }
        }

        Map<String, String> rulesetNames = new HashMap<>();
        rulesets.keySet().forEach(n -> rulesetNames.put(n.toLowerCase(Locale.ROOT), n));
        Map<String, String> boundBy = new HashMap<>();
        Set<String> used = new HashSet<>();
        List<HeaderValidation> bindings = new ArrayList<>();
        for (Configured c : validations) {
            HeaderValidation v = (HeaderValidation) c.line();
            String ruleset = rulesetNames.get(v.ruleset().toLowerCase(Locale.ROOT));
            if (ruleset == null) {
                throw new IllegalArgumentException(c.property() + ": ruleset " + v.ruleset() + " is not defined"
                        + " (postern.header-checks." + v.ruleset() + ")");
            }
            String earlier = boundBy.putIfAbsent(v.name().toLowerCase(Locale.ROOT), c.property());
            if (earlier != null) {
                throw new IllegalArgumentException(c.property() + ": header " + v.name() + " is already bound to a"
                        + " ruleset by " + earlier + "; only one ruleset can check a header");
            }
            used.add(ruleset);
            bindings.add(v);
        }
        for (String name : rulesets.keySet()) {
            if (!used.contains(name)) {
                log.log(System.Logger.Level.WARNING, "postern.header-checks.{0} is not used by any H line"
                        + " (postern.headers: \"HName: $>{0}\")", name);
            }
        }

        Macros config = StandardMacros.host(Macros.builder(), hostname, userMacros).build();
        return new HeaderRules(received, delivery, HeaderChecks.of(bindings, rulesets), config, listenerMacros);
    }

    /** The editor that applies the delivery rules; other stages (address rewriting) may be added to it. */
    public HeaderEditor editor() {
        return new HeaderEditor(List.of(new HeaderRuleStage(deliveryRules)));
    }

    /**
     * The Received: header for a message being received, with the session's macros (over the
     * configuration's), CRLF line breaks and a final CRLF.
     */
    public byte[] received(MacroValues sessionMacros) {
        MacroValues all = sessionMacros.or(configMacros);
        HeaderField field = received.render(all);
        if (field == null) { // the operator's template expanded to nothing: never leave a message untraced
            field = ((HeaderRule) HeaderLineParser.parse(HeaderDefaults.RECEIVED)).render(all);
        }
        return field.rawUnsafe().clone();
    }

    /** The header lines in force, in sendmail syntax (for logs and the docs). */
    public List<String> lines() {
        List<String> all = new ArrayList<>();
        all.add(received.line());
        deliveryRules.forEach(r -> all.add(r.line()));
        return all;
    }
}
