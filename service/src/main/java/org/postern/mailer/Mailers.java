package org.postern.mailer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mailers a route can name: sendmail's SMTP mailers as {@code cf/mailer/smtp.m4} defines them
 * ({@code smtp}, {@code esmtp}, {@code smtp8}, {@code dsmtp}, {@code relay}), plus any configured
 * ones. {@code error} and {@code discard} are not mailers here but kinds of route.
 */
public final class Mailers {

    /** The mailer for mail without a route: direct to the recipient domain's MX hosts. */
    public static final String DEFAULT = "esmtp";
    /** The mailer a smart host uses when it names none, as sendmail's SMART_HOST. */
    public static final String SMART_HOST_DEFAULT = "relay";
    /** Names that are route kinds, never mailers. */
    public static final Set<String> RESERVED = Set.of("error", "discard", "local", "prog");

    private final Map<String, MailerDefinition> byName;

    public Mailers(Map<String, MailerDefinition> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** sendmail's SMTP mailers with their m4 flags (smtp.m4, 8.18). */
    public static Map<String, MailerDefinition> builtIn() {
        Map<String, MailerDefinition> m = new LinkedHashMap<>();
        m.put("smtp", new MailerDefinition("smtp", "mDFMuX", 0, MailerDefinition.DEFAULT_RECIPIENTS, 0, 25));
        m.put("esmtp", new MailerDefinition("esmtp", "mDFMuXa", 0, MailerDefinition.DEFAULT_RECIPIENTS, 0, 25));
        m.put("smtp8", new MailerDefinition("smtp8", "mDFMuX8", 0, MailerDefinition.DEFAULT_RECIPIENTS, 0, 25));
        m.put("dsmtp", new MailerDefinition("dsmtp", "mDFMuXa%", 0, MailerDefinition.DEFAULT_RECIPIENTS, 0, 25));
        m.put("relay", new MailerDefinition("relay", "mDFMuXa8", 0, MailerDefinition.DEFAULT_RECIPIENTS, 0, 25));
        return m;
    }

    public Optional<MailerDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public MailerDefinition get(String name) {
        MailerDefinition d = byName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no mailer named " + name);
        }
        return d;
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
