package org.postern.sendmailcf;

import java.util.Map;

/**
 * The {@code M} lines sendmail-cf's {@code mailer/smtp.m4}, {@code mailer/local.m4} and
 * {@code mailer/procmail.m4} write, field for field and with their continuation lines, from the
 * {@code *_MAILER_*} defines in effect when {@code MAILER(...)} is read (m4 expands them there, so
 * a define after the {@code MAILER} line has no effect), and with {@code MODIFY_MAILER_FLAGS}
 * applied as {@code cfhead.m4}'s {@code _MODMF_} does: a full replacement wins, otherwise the
 * removed flags go first (each once) and then the added ones (each unless present).
 */
final class McMailers {

    /** The defines each interpreted {@code MAILER} reads, by the mailer file that reads them. */
    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("_DEF_SMTP_MAILER_FLAGS", "smtp"), Map.entry("SMTP_MAILER_FLAGS", "smtp"),
            Map.entry("SMTP_MAILER_MAX", "smtp"), Map.entry("SMTP_MAILER_MAXMSGS", "smtp"),
            Map.entry("SMTP_MAILER_MAXRCPTS", "smtp"), Map.entry("SMTP_MAILER_CHARSET", "smtp"),
            Map.entry("SMTP_MAILER_LL", "smtp"), Map.entry("SMTP_MAILER_ARGS", "smtp"),
            Map.entry("ESMTP_MAILER_ARGS", "smtp"), Map.entry("SMTP8_MAILER_ARGS", "smtp"),
            Map.entry("DSMTP_MAILER_ARGS", "smtp"), Map.entry("RELAY_MAILER_ARGS", "smtp"),
            Map.entry("RELAY_MAILER_FLAGS", "smtp"), Map.entry("RELAY_MAILER_LL", "smtp"),
            Map.entry("RELAY_MAILER_CHARSET", "smtp"), Map.entry("RELAY_MAILER_MAXMSGS", "smtp"),
            Map.entry("SMTP_MAILER_QGRP", "smtp"), Map.entry("ESMTP_MAILER_QGRP", "smtp"),
            Map.entry("SMTP8_MAILER_QGRP", "smtp"), Map.entry("DSMTP_MAILER_QGRP", "smtp"),
            Map.entry("RELAY_MAILER_QGRP", "smtp"),
            Map.entry("_DEF_LOCAL_MAILER_FLAGS", "local"), Map.entry("LOCAL_MAILER_FLAGS", "local"),
            Map.entry("LOCAL_MAILER_PATH", "local"), Map.entry("LOCAL_MAILER_ARGS", "local"),
            Map.entry("LOCAL_MAILER_EOL", "local"), Map.entry("LOCAL_MAILER_MAX", "local"),
            Map.entry("LOCAL_MAILER_MAXMSGS", "local"), Map.entry("LOCAL_MAILER_MAXRCPTS", "local"),
            Map.entry("LOCAL_MAILER_CHARSET", "local"), Map.entry("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE", "local"),
            Map.entry("LOCAL_MAILER_QGRP", "local"), Map.entry("LOCAL_PROG_QGRP", "local"),
            Map.entry("_DEF_LOCAL_SHELL_FLAGS", "local"), Map.entry("LOCAL_SHELL_FLAGS", "local"),
            Map.entry("LOCAL_SHELL_PATH", "local"), Map.entry("LOCAL_SHELL_ARGS", "local"),
            Map.entry("LOCAL_SHELL_DIR", "local"), Map.entry("_LOCAL_LMTP_", "local"),
            Map.entry("_ALWAYS_ADD_DOMAIN_", "local"),
            Map.entry("PROCMAIL_MAILER_PATH", "procmail"), Map.entry("PROCMAIL_PATH", "procmail"),
            Map.entry("PROCMAIL_MAILER_FLAGS", "procmail"), Map.entry("PROCMAIL_MAILER_ARGS", "procmail"),
            Map.entry("PROCMAIL_MAILER_MAX", "procmail"), Map.entry("PROCMAIL_MAILER_QGRP", "procmail"));

    /** {@code MODIFY_MAILER_FLAGS} names, by the mailer file that applies them. */
    private static final Map<String, String> FLAG_NAMES = Map.of("SMTP", "smtp", "ESMTP", "smtp", "SMTP8", "smtp",
            "DSMTP", "smtp", "RELAY", "smtp", "LOCAL", "local", "SHELL", "local", "PROCMAIL", "procmail");

    private McMailers() {
    }

    /** The interpreted mailer ({@code smtp}, {@code local}, {@code procmail}) that reads {@code define}, or null. */
    static String mailerReading(String define) {
        return SETTINGS.get(define);
    }

    /** The interpreted mailer whose flags {@code MODIFY_MAILER_FLAGS(name, ...)} changes, or null. */
    static String mailerOfFlags(String name) {
        return FLAG_NAMES.get(name);
    }

    /**
     * sendmail-cf's {@code MODIFY_MAILER_FLAGS(name, flags)}: {@code +xy} adds, {@code -xy} removes,
     * anything else replaces the flags (and forgets earlier additions and removals).
     */
    static void modifyFlags(M4Engine m4, String name, String flags) {
        String head = flags.isEmpty() ? "" : flags.substring(0, 1);
        String tail = flags.isEmpty() ? "" : flags.substring(1);
        if (head.equals("+") || head.equals("-")) {
            String key = name + (head.equals("+") ? "_MF_A_" : "_MF_D_");
            m4.define(key, m4.isDefined(key) ? m4.expand(key) + tail : tail);
        } else {
            m4.define(name + "_MF_", flags);
            m4.define(name + "_MF_A_", "");
            m4.define(name + "_MF_D_", "");
        }
    }

    /** {@code MAILER(smtp)}: the smtp, esmtp, smtp8, dsmtp and relay mailers. */
    static String smtp(M4Engine m4) {
        m4.defineIfNot("_DEF_SMTP_MAILER_FLAGS", "mDFMuX");
        m4.defineIfNot("SMTP_MAILER_FLAGS", "");
        m4.defineIfNot("SMTP_MAILER_LL", "990");
        m4.defineIfNot("RELAY_MAILER_LL", "2040");
        m4.defineIfNot("RELAY_MAILER_FLAGS", "SMTP_MAILER_FLAGS");
        for (String prefix : new String[] {"SMTP", "ESMTP", "SMTP8", "DSMTP", "RELAY"}) {
            m4.defineIfNot(prefix + "_MAILER_ARGS", "TCP $h");
        }
        String base = m4.expand("_DEF_SMTP_MAILER_FLAGS");
        String extra = m4.expand("SMTP_MAILER_FLAGS");
        boolean allMasquerade = m4.isDefined("_ALL_MASQUERADE_");
        String recipient = allMasquerade ? "EnvToSMTP/HdrFromSMTP" : "EnvToSMTP";
        String limits = optional(m4, "SMTP_MAILER_MAX", "M=") + optional(m4, "SMTP_MAILER_MAXMSGS", "m=")
                + optional(m4, "SMTP_MAILER_MAXRCPTS", "r=") + optional(m4, "SMTP_MAILER_CHARSET", "C=");
        String lineLimit = m4.expand("SMTP_MAILER_LL");
        StringBuilder lines = new StringBuilder();
        lines.append(smtpLine("smtp", flags(m4, base + extra, "SMTP"), recipient, lineLimit, limits,
                queueGroup(m4, "SMTP_MAILER_QGRP"), m4.expand("SMTP_MAILER_ARGS")));
        lines.append(smtpLine("esmtp", flags(m4, base + "a" + extra, "ESMTP"), recipient, lineLimit, limits,
                queueGroup(m4, "ESMTP_MAILER_QGRP"), m4.expand("ESMTP_MAILER_ARGS")));
        lines.append(smtpLine("smtp8", flags(m4, base + "8" + extra, "SMTP8"), recipient, lineLimit, limits,
                queueGroup(m4, "SMTP8_MAILER_QGRP"), m4.expand("SMTP8_MAILER_ARGS")));
        lines.append(smtpLine("dsmtp", flags(m4, base + "a%" + extra, "DSMTP"), recipient, lineLimit, limits,
                queueGroup(m4, "DSMTP_MAILER_QGRP"), m4.expand("DSMTP_MAILER_ARGS")));
        // relay: its own charset and maxmessages, no Maxsize, smtp's recipients per message.
        String relayLimits = optional(m4, "RELAY_MAILER_CHARSET", "C=") + optional(m4, "RELAY_MAILER_MAXMSGS", "m=")
                + optional(m4, "SMTP_MAILER_MAXRCPTS", "r=");
        lines.append(smtpLine("relay", flags(m4, base + "a8" + m4.expand("RELAY_MAILER_FLAGS"), "RELAY"),
                allMasquerade ? "MasqSMTP/MasqRelay" : "MasqSMTP", m4.expand("RELAY_MAILER_LL"), relayLimits,
                queueGroup(m4, "RELAY_MAILER_QGRP"), m4.expand("RELAY_MAILER_ARGS")));
        return lines.toString();
    }

    /** {@code MAILER(local)}: rule set AddDomain (FEATURE(always_add_domain)), the local and prog mailers. */
    static String local(M4Engine m4) {
        m4.defineIfNot("_DEF_LOCAL_MAILER_FLAGS", "lsDFMAw5:/|@q");
        m4.defineIfNot("LOCAL_MAILER_FLAGS", "Prmn9");
        m4.defineIfNot("LOCAL_MAILER_PATH", "/bin/mail");
        m4.defineIfNot("LOCAL_MAILER_ARGS", "mail -d $u");
        m4.defineIfNot("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE", "X-Unix");
        m4.defineIfNot("_DEF_LOCAL_SHELL_FLAGS", "lsDFMoq");
        m4.defineIfNot("LOCAL_SHELL_FLAGS", "eu9");
        m4.defineIfNot("LOCAL_SHELL_PATH", "/bin/sh");
        m4.defineIfNot("LOCAL_SHELL_ARGS", "sh -c $u");
        m4.defineIfNot("LOCAL_SHELL_DIR", "$z:/");
        String rewriting = m4.isDefined("_LOCAL_LMTP_")
                ? "S=EnvFromSMTP/HdrFromL, R=EnvToL/HdrToL"
                : "S=EnvFromL/HdrFromL, R=EnvToL/HdrToL";
        StringBuilder lines = new StringBuilder();
        lines.append("SAddDomain\n");
        if (m4.isDefined("_ALWAYS_ADD_DOMAIN_")) {
            lines.append("R$* < @ $* > $*\t\t$@ $1 < @ $2 > $3\talready fully qualified\n");
            String domain = m4.expand("_ALWAYS_ADD_DOMAIN_");
            lines.append(domain.isEmpty()
                    ? "\nR$+\t\t\t$@ $1 < @ *LOCAL* >\tadd local qualification\n"
                    : "R$+\t\t\t$@ $1 < @ " + domain + " >\tadd qualification\n");
        }
        lines.append('\n');
        lines.append("Mlocal,\t\tP=").append(m4.expand("LOCAL_MAILER_PATH"))
                .append(", F=").append(flags(m4, m4.expand("_DEF_LOCAL_MAILER_FLAGS")
                        + m4.expand("LOCAL_MAILER_FLAGS"), "LOCAL"))
                .append(", ").append(rewriting).append(',')
                .append(m4.isDefined("LOCAL_MAILER_EOL") ? " E=" + m4.expand("LOCAL_MAILER_EOL") + ", " : "")
                .append("\n\t\t")
                .append(optional(m4, "LOCAL_MAILER_MAX", "M=")).append(optional(m4, "LOCAL_MAILER_MAXMSGS", "m="))
                .append(optional(m4, "LOCAL_MAILER_MAXRCPTS", "r=")).append(optional(m4, "LOCAL_MAILER_CHARSET", "C="))
                .append("T=DNS/RFC822/").append(m4.expand("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE")).append(',')
                .append(queueGroup(m4, "LOCAL_MAILER_QGRP"))
                .append("\n\t\tA=").append(m4.expand("LOCAL_MAILER_ARGS")).append('\n');
        lines.append("Mprog,\t\tP=").append(m4.expand("LOCAL_SHELL_PATH"))
                .append(", F=").append(flags(m4, m4.expand("_DEF_LOCAL_SHELL_FLAGS")
                        + m4.expand("LOCAL_SHELL_FLAGS"), "SHELL"))
                .append(", S=EnvFromL/HdrFromL, R=EnvToL/HdrToL, D=").append(m4.expand("LOCAL_SHELL_DIR"))
                .append(",\n\t\t").append(optional(m4, "LOCAL_MAILER_MAX", "M="))
                .append("T=X-Unix/X-Unix/X-Unix,").append(queueGroup(m4, "LOCAL_PROG_QGRP"))
                .append("\n\t\tA=").append(m4.expand("LOCAL_SHELL_ARGS")).append('\n');
        return lines.toString();
    }

    /** {@code MAILER(procmail)}. */
    static String procmail(M4Engine m4) {
        if (!m4.isDefined("PROCMAIL_MAILER_PATH")) {
            m4.define("PROCMAIL_MAILER_PATH", m4.isDefined("PROCMAIL_PATH")
                    ? m4.expand("PROCMAIL_PATH") : "/usr/local/bin/procmail");
        }
        m4.defineIfNot("PROCMAIL_MAILER_FLAGS", "SPhnu9");
        m4.defineIfNot("PROCMAIL_MAILER_ARGS", "procmail -Y -m $h $f $u");
        return "Mprocmail,\tP=" + m4.expand("PROCMAIL_MAILER_PATH")
                + ", F=" + flags(m4, "DFM" + m4.expand("PROCMAIL_MAILER_FLAGS"), "PROCMAIL")
                + ", S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP/HdrFromSMTP,\n\t\t"
                + (m4.isDefined("PROCMAIL_MAILER_MAX") ? "M=" + m4.expand("PROCMAIL_MAILER_MAX") + ", " : "")
                + "T=DNS/RFC822/X-Unix," + queueGroup(m4, "PROCMAIL_MAILER_QGRP")
                + "\n\t\tA=" + m4.expand("PROCMAIL_MAILER_ARGS") + "\n";
    }

    private static String smtpLine(String name, String flags, String recipient, String lineLimit, String limits,
            String queueGroup, String argv) {
        return "M" + name + ",\t\tP=[IPC], F=" + flags + ", S=EnvFromSMTP/HdrFromSMTP, R=" + recipient
                + ", E=\\r\\n, L=" + lineLimit + ",\n\t\t" + limits + "T=DNS/RFC822/SMTP," + queueGroup
                + "\n\t\tA=" + argv + "\n";
    }

    /** {@code _MODMF_(flags, name)}. */
    private static String flags(M4Engine m4, String flags, String name) {
        if (m4.isDefined(name + "_MF_")) {
            return m4.expand(name + "_MF_");
        }
        StringBuilder result = new StringBuilder(flags);
        if (m4.isDefined(name + "_MF_D_")) {
            for (char flag : m4.expand(name + "_MF_D_").toCharArray()) {
                int at = result.indexOf(String.valueOf(flag));
                if (at >= 0) {
                    result.deleteCharAt(at);
                }
            }
        }
        if (m4.isDefined(name + "_MF_A_")) {
            for (char flag : m4.expand(name + "_MF_A_").toCharArray()) {
                if (result.indexOf(String.valueOf(flag)) < 0) {
                    result.append(flag);
                }
            }
        }
        return result.toString();
    }

    /** {@code _OPTINS(`name', `X=', `, ')}: the field when its define exists. */
    private static String optional(M4Engine m4, String name, String field) {
        return m4.isDefined(name) ? field + m4.expand(name) + ", " : "";
    }

    /** {@code _SMTP_QGRP} and friends: {@code " Q=group,"} when the define is not empty. */
    private static String queueGroup(M4Engine m4, String name) {
        String definition = m4.definition(name);
        return definition == null || definition.isEmpty() ? "" : " Q=" + m4.expand(name) + ",";
    }
}
