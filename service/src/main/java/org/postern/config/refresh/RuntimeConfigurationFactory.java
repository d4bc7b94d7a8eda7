package org.postern.config.refresh;

import java.util.LinkedHashMap;
import java.util.Map;
import org.postern.config.MailerDefinitions;
import org.postern.config.MailerProperties;
import org.postern.config.PosternProperties;
import org.postern.config.RoutingProperties;
import org.postern.mailer.MailerDefinition;
import org.postern.header.HeaderRuleFactory;
import org.postern.mailer.Mailers;
import org.postern.rewriting.MailerRewritings;
import org.postern.rewriting.RuleSets;
import org.postern.rewriting.RewritingRules;
import org.postern.smtp.server.SmtpServerConfiguration;
import org.postern.policy.RelayPolicy;
import org.postern.routing.Route;
import org.postern.routing.RouteParser;
import org.postern.routing.Router;

/**
 * Builds a {@link RuntimeConfiguration} from bound properties: the one place where routes, mailers
 * and relay networks become working objects, used at startup and at every refresh, so a refresh is
 * checked exactly as strictly as startup. Every failure is an {@link IllegalArgumentException}
 * whose message names the property and the reason.
 *
 * <p>To make another feature refreshable: add its object as a component of
 * {@link RuntimeConfiguration}, build and check it here, and list its properties in
 * {@link RefreshableProperties#PATHS}.
 */
public final class RuntimeConfigurationFactory {

    private RuntimeConfigurationFactory() {
    }

    /** @throws IllegalArgumentException naming the property, when the properties do not make a working configuration */
    public static RuntimeConfiguration build(PosternProperties properties, long generation) {
        Mailers mailers = mailers(properties);
        Router router = router(properties.routing());
        RelayPolicy relayPolicy = new RelayPolicy(properties.policy().relayRanges());
        // Rule sets are built here so a refresh re-reads generics files and checks mailers' S= and R=.
        String localHost = SmtpServerConfiguration.hostname(properties.hostname());
        MailerRewritings rewritings = new RewritingRules(
                RuleSets.build(properties.rewriting(), localHost), localHost).forMailers(mailers);
        return new RuntimeConfiguration(generation, properties, router, mailers, relayPolicy, rewritings,
                HeaderRuleFactory.rules(properties));
    }

    /** The built-in mailers with {@code postern.mailers} over them; every mailer a route names must exist. */
    static Mailers mailers(PosternProperties properties) {
        Map<String, MailerDefinition> all = new LinkedHashMap<>(Mailers.builtIn());
        properties.mailers().forEach((name, p) -> all.put(name, mailer(name, all.get(name), p)));
        Mailers mailers = new Mailers(all);
        RoutingProperties routing = properties.routing();
        if (routing.smartHost() != null) {
            checkMailer(mailers, RouteParser.parse(routing.smartHost(), Mailers.SMART_HOST_DEFAULT),
                    "postern.routing.smart-host");
        }
        routing.domains().forEach((domain, spec) -> checkMailer(mailers, RouteParser.parse(spec, Mailers.DEFAULT),
                "postern.routing.domains[" + domain + "]"));
        return mailers;
    }

    static Router router(RoutingProperties routing) {
        Route smartHost = routing.smartHost() == null ? null
                : RouteParser.parse(routing.smartHost(), Mailers.SMART_HOST_DEFAULT);
        return new Router(RouteParser.parseTable(routing.domains(), Mailers.DEFAULT), smartHost);
    }

    private static MailerDefinition mailer(String name, MailerDefinition base, MailerProperties p) {
        return MailerDefinitions.resolve(name, base, p);
    }

    private static void checkMailer(Mailers mailers, Route route, String property) {
        if (route instanceof Route.Relay relay && mailers.find(relay.mailer()).isEmpty()) {
            throw new IllegalArgumentException(property + ": no mailer named '" + relay.mailer() + "' (known: "
                    + String.join(", ", mailers.names()) + ")");
        }
    }
}
