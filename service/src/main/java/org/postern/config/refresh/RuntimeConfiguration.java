package org.postern.config.refresh;

import java.util.Objects;
import org.postern.config.PosternProperties;
import org.postern.header.HeaderRules;
import org.postern.mailer.Mailers;
import org.postern.policy.RelayPolicy;
import org.postern.rewriting.MailerRewritings;
import org.postern.routing.Router;

/**
 * The part of Postern's configuration that may change while it runs, as one immutable snapshot.
 * Built only by {@link RuntimeConfigurationFactory} (at startup and at each refresh, with the same
 * checks), held by {@link RuntimeConfigurationHolder}, and replaced whole: a reader that takes one
 * snapshot sees routes and mailers that agree with each other.
 *
 * <p>Readers take {@code holder.get()} once per unit of work (a delivery attempt, an SMTP command)
 * and never keep the snapshot longer, so a refresh applies to the next unit without a restart.
 *
 * @param generation  1 for the startup configuration, then one more for each applied refresh
 * @param properties  the configuration in effect: the refreshable values last applied, and the
 *                    restart-only values as bound at startup (see {@link RefreshableProperties})
 * @param router      routes: {@code postern.routing.smart-host} and {@code postern.routing.domains}
 * @param mailers     the built-in mailers with {@code postern.mailers} over them; every mailer a
 *                    route names is among them
 * @param relayPolicy who may relay: {@code postern.policy.relay-networks}
 * @param rewritings  each mailer's {@code S=} and {@code R=} address rewriting, from
 *                    {@code postern.rewriting}; every rule set a mailer names exists
 * @param headerRules the header lines, header checks and operator macros ({@code postern.headers},
 *                    {@code postern.header-checks}, {@code postern.macros})
 */
public record RuntimeConfiguration(long generation, PosternProperties properties, Router router, Mailers mailers,
        RelayPolicy relayPolicy, MailerRewritings rewritings, HeaderRules headerRules) {

    public RuntimeConfiguration {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(mailers, "mailers");
        Objects.requireNonNull(relayPolicy, "relayPolicy");
        Objects.requireNonNull(rewritings, "rewritings");
        Objects.requireNonNull(headerRules, "headerRules");
    }
}
