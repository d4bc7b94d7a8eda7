package org.postern.rewriting;

import java.util.Map;

/** The rewriting of every mailer, by mailer name, as delivery looks it up; a mailer not listed rewrites nothing. */
public final class MailerRewritings {

    public static final MailerRewritings NONE = new MailerRewritings(Map.of());

    private final Map<String, MailerRewriting> byMailer;

    public MailerRewritings(Map<String, MailerRewriting> byMailer) {
        this.byMailer = Map.copyOf(byMailer);
    }

    public MailerRewriting forMailer(String name) {
        return byMailer.getOrDefault(name, MailerRewriting.NONE);
    }
}
