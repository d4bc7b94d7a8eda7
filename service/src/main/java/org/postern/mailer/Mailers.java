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

    /**
     * sendmail's SMTP mailers exactly as {@code cf/mailer/smtp.m4} (8.17) defines them with no
     * {@code SMTP_MAILER_*} overrides: flags, {@code L=990} ({@code L=2040} for relay),
     * {@code T=DNS/RFC822/SMTP}, {@code E=\r\n}, {@code A=TCP $h}, and the rule set names of
     * {@code S=} and {@code R=}, which name {@code postern.rewriting} rule sets.
     */
    public static Map<String, MailerDefinition> builtIn() {
        Map<String, MailerDefinition> m = new LinkedHashMap<>();
        m.put("smtp", smtpMailer("smtp", "mDFMuX", "EnvToSMTP", SMTP_LINE_LIMIT));
        m.put("esmtp", smtpMailer("esmtp", "mDFMuXa", "EnvToSMTP", SMTP_LINE_LIMIT));
        m.put("smtp8", smtpMailer("smtp8", "mDFMuX8", "EnvToSMTP", SMTP_LINE_LIMIT));
        m.put("dsmtp", smtpMailer("dsmtp", "mDFMuXa%", "EnvToSMTP", SMTP_LINE_LIMIT));
        m.put("relay", smtpMailer("relay", "mDFMuXa8", "MasqSMTP", RELAY_LINE_LIMIT));
        return m;
    }

    /** smtp.m4's {@code SMTP_MAILER_LL}. */
    static final int SMTP_LINE_LIMIT = 990;
    /** smtp.m4's {@code RELAY_MAILER_LL}. */
    static final int RELAY_LINE_LIMIT = 2040;

    private static MailerDefinition smtpMailer(String name, String flags, String recipientRewriting, int lineLimit) {
        return MailerDefinition.builder(name).protocol(MailerProtocol.SMTP).flags(flags)
                .senderRewriting(new RewritingRef("EnvFromSMTP", "HdrFromSMTP"))
                .recipientRewriting(RewritingRef.parse(recipientRewriting))
                .eol(MailerDefinition.CRLF).lineLimit(lineLimit).type(MailerType.parse("DNS/RFC822/SMTP"))
                .port(MailerDefinition.SMTP_PORT).build();
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
