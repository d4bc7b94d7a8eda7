package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.sendmailcf.M4Engine.M4Call;

/**
 * The cf macros of sendmail-cf's {@code m4/cfhead.m4}, as {@link McInterpreter} interprets them:
 * what each call defines or writes to which diversion, as the sendmail-cf file it includes would,
 * and a note for each call or define it does not interpret. Defaults come from {@code cfhead.m4};
 * {@code OSTYPE(linux)}, {@code OSTYPE(bsd4.4)}, {@code OSTYPE(debian)} and {@code DOMAIN(generic)}
 * are applied from the files' text (their conditionals resolved here).
 */
final class McMacros implements M4Engine.CfMacros {

    /** Class macros: {@code PUSHDIVERT(5)C{X}$1} (or {@code F{X}$1} for a file), as cfhead.m4 writes them. */
    private static final Map<String, String> CLASS_MACROS = Map.ofEntries(
            Map.entry("EXPOSED_USER", "C{E}"), Map.entry("EXPOSED_USER_FILE", "F{E}"),
            Map.entry("LOCAL_USER", "C{L}"), Map.entry("LOCAL_USER_FILE", "F{L}"),
            Map.entry("MASQUERADE_DOMAIN", "C{M}"), Map.entry("MASQUERADE_DOMAIN_FILE", "F{M}"),
            Map.entry("MASQUERADE_EXCEPTION", "C{N}"),
            Map.entry("MASQUERADE_EXCEPTION_FILE", "F{N}"),
            Map.entry("LOCAL_DOMAIN", "C{w}"),
            Map.entry("CANONIFY_DOMAIN", "C{Canonify}"),
            Map.entry("CANONIFY_DOMAIN_FILE", "F{Canonify}"),
            Map.entry("GENERICS_DOMAIN", "C{G}"), Map.entry("GENERICS_DOMAIN_FILE", "F{G}"),
            Map.entry("LDAPROUTE_DOMAIN", "C{LDAPRoute}"),
            Map.entry("LDAPROUTE_DOMAIN_FILE", "F{LDAPRoute}"),
            Map.entry("LDAPROUTE_EQUIVALENT", "C{LDAPRouteEquiv}"),
            Map.entry("LDAPROUTE_EQUIVALENT_FILE", "F{LDAPRouteEquiv}"),
            Map.entry("VIRTUSER_DOMAIN", "C{VirtHost}"),
            Map.entry("VIRTUSER_DOMAIN_FILE", "F{VirtHost}"),
            Map.entry("RELAY_DOMAIN", "C{R}"), Map.entry("RELAY_DOMAIN_FILE", "F{R}"),
            Map.entry("TRUST_AUTH_MECH", "C{TrustAuthMech}"));

    /** cf macros interpreted here, besides the class macros. */
    private static final Set<String> INTERPRETED = Set.of("VERSIONID", "OSTYPE", "DOMAIN", "FEATURE", "HACK",
            "MAILER", "DAEMON_OPTIONS", "CLIENT_OPTIONS", "MASQUERADE_AS", "MODIFY_MAILER_FLAGS", "LOCAL_CONFIG",
            "LOCAL_RULESETS", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3", "LOCAL_UUCP",
            "LOCAL_NET_CONFIG", "LOCAL_DNSBL", "MAILER_DEFINITIONS", "LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES",
            "LOCAL_TRY_TLS", "LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT", "LOCAL_TLS_SERVER", "CONCAT", "DOL",
            "PUSHDIVERT", "POPDIVERT");

    /** cf macros (and cfhead.m4's helpers) recognised but not interpreted: each call is a note. */
    private static final Set<String> NOT_INTERPRETED = Set.of("MAIL_FILTER", "INPUT_MAIL_FILTER", "QUEUE_GROUP",
            "SITECONFIG", "UUCPSMTP", "lower", "strcasecmp", "_DEFIFNOT", "_ADDCHAR_", "_DELCHAR_", "_AP_",
            "_MODMF_", "_OPTINS", "_ARG1_", "_ARG2_", "_ARG3_", "_ARG4_", "_ARG5_", "_ARG6_", "_ARG7_", "_ARG8_",
            "_ARG9_");

    /** Names that are set with define, never called: a call is a mistake m4 would copy into the output. */
    private static final Set<String> DEFINE_ONLY = Set.of("SMART_HOST", "MAIL_HUB", "LOCAL_RELAY", "LUSER_RELAY");

    /** Defines read when writing the cf text (besides the option variables and the mailer settings). */
    private static final Set<String> SETTINGS = Set.of("confDOMAIN_NAME", "confMAILER_NAME", "confCW_FILE",
            "confCR_FILE", "confFROM_HEADER", "confMESSAGEID_HEADER", "confRECEIVED_HEADER", "confMESSAGE_TIMEOUT",
            "confTIME_ZONE", "confEBINDIR", "confLDAP_CLUSTER", "MAIL_SETTINGS_DIR", "HELP_FILE", "QUEUE_DIR",
            "DATABASE_MAP_TYPE", "SMART_HOST", "MASQUERADE_NAME", "MAIL_HUB", "LOCAL_RELAY", "LUSER_RELAY",
            "UUCP_RELAY", "BITNET_RELAY", "DECNET_RELAY", "FAX_RELAY", "NO_VENDOR", "VENDOR_NAME", "_REC_AUTH_",
            "_REC_FULL_AUTH_", "_REC_HDR_", "_REC_END_", "_REC_TLS_", "_REC_BY_", "_MASQUERADE_ENVELOPE_",
            "_MASQUERADE_ENTIRE_DOMAIN_", "_ALL_MASQUERADE_", "_NO_UUCP_", "_NO_PERCENTHACK_",
            "_LIMITED_MASQUERADE_", "_GENERICS_TABLE_", "_GENERICS_ENTIRE_DOMAIN_", "_NO_MSA_", "_VIRTHOSTS_",
            "USE_CW_FILE");

    /** FEATURE(redirect)'s file, after its header: rules for ruleset 0 and class P. */
    private static final String REDIRECT = """
            LOCAL_RULE_0
            # addresses sent to foo@host.REDIRECT will give a 551 error code
            R$* < @ $+ .REDIRECT. >\t\t$: $1 < @ $2 . REDIRECT . > < ${opMode} >
            R$* < @ $+ .REDIRECT. > <i>\t$: $1 < @ $2 . REDIRECT. >
            R$* < @ $+ .REDIRECT. > < $- >\t$#error $@ 5.1.1 $: "551 User has moved; please try " <$1@$2>

            LOCAL_CONFIG
            CPREDIRECT
            """;

    /** domain/generic.m4, after its header. */
    private static final String DOMAIN_GENERIC = """
            define(`confFORWARD_PATH', `$z/.forward.$w+$h:$z/.forward+$h:$z/.forward.$w:$z/.forward')dnl
            define(`confMAX_HEADERS_LENGTH', `32768')dnl
            FEATURE(`redirect')dnl
            FEATURE(`use_cw_file')dnl
            EXPOSED_USER(`root')
            """;

    /** ostype/debian.m4 without its conditionals on Debian's autoconf results (noted instead). */
    private static final String OSTYPE_DEBIAN = """
            define(`_USE_ETC_MAIL_')dnl
            define(`confSMTP_LOGIN_MSG', `$j Sendmail $v/$Z; $b; (No UCE/UBE) $?{client_addr}logging access \
            from: ${client_name}(${client_resolve})-$_$.')dnl
            define(`confDEAD_LETTER_DROP', `/var/lib/sendmail/dead.letter')dnl
            define(`STATUS_FILE', `/var/lib/sendmail/sendmail.st')dnl
            define(`confHOST_STATUS_DIRECTORY',
            \t`/var/lib/sendmail/host_status')dnl
            define(`confCR_FILE', `-o '`MAIL_SETTINGS_DIR`'relay-domains %[^\\#]')dnl
            define(`confCT_FILE',      `MAIL_SETTINGS_DIR`'trusted-users %[^\\#]')dnl
            define(`confCW_FILE',      `MAIL_SETTINGS_DIR`'local-host-names %[^\\#]')dnl
            define(`confEBINDIR', `/usr/libexec/sendmail')dnl
            define(`confME_TOO', `True')dnl
            define(`confDEF_USER_ID', `mail:mail')dnl
            define(`LOCAL_MAILER_PATH',  `/usr/sbin/sensible-mda')dnl
            define(`LOCAL_MAILER_ARGS',  `sensible-mda $g $u $h ${client_addr}')dnl
            MODIFY_MAILER_FLAGS(`LOCAL', `+S')dnl
            MODIFY_MAILER_FLAGS(`LOCAL', `-r')dnl
            MODIFY_MAILER_FLAGS(`LOCAL', `-m')dnl
            define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')dnl
            define(`PROCMAIL_MAILER_ARGS', `procmail -m $h $f $u')dnl
            define(`USENET_MAILER_PATH', `/usr/bin/inews')dnl
            define(`UUCP_MAILER_ARGS',`uux - -r -z -a$g -gC $h!rmail ($u)')dnl
            """;

    private static final String LDAP_MAP = "ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:"
            + "sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)"
            + "(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=%s)"
            + "(sendmailMTAKey=%%0))";

    private final List<String> daemonOptions = new ArrayList<>();
    private final List<String> clientOptions = new ArrayList<>();
    private final List<Pending> pendingMailerSettings = new ArrayList<>();
    private M4Engine m4;
    private boolean quiet;

    /** A define (or flag change) read by a mailer not yet written: noted at the end if it never is. */
    private record Pending(M4Call call, String mailer) {
    }

    /** Binds to the engine and defines cfhead.m4's defaults. */
    void attach(M4Engine engine) {
        this.m4 = engine;
        m4.define("MAIL_SETTINGS_DIR", "/etc/mail/");
        m4.define("DATABASE_MAP_TYPE", "hash");
        m4.define("ALIAS_FILE", "MAIL_SETTINGS_DIR`'aliases");
        m4.define("confMAILER_NAME", "`MAILER-DAEMON'");
        m4.define("confFROM_LINE", "From $g $d");
        m4.define("confOPERATORS", ".:%@!^/[]+");
        m4.define("confSMTP_LOGIN_MSG", "$j Sendmail $v/$Z; $b");
        m4.define("_REC_AUTH_", "$.$?{auth_type}(authenticated");
        m4.define("_REC_FULL_AUTH_",
                "$.$?{auth_type}(user=${auth_authen} $?{auth_author}author=${auth_author} $.mech=${auth_type}");
        m4.define("_REC_HDR_", "$?sfrom $s $.$?_($?s$|from $.$_)");
        m4.define("_REC_END_", "for $u; $|;\n\t$.$b");
        m4.define("_REC_TLS_", "(version=${tls_version} cipher=${cipher} bits=${cipher_bits} verify=${verify})$.$?u");
        m4.define("_REC_BY_", "$.by $j ($v/$Z)$?r with $r$. id $i$?{tls_version}");
        m4.define("confRECEIVED_HEADER",
                "_REC_HDR_\n\t_REC_AUTH_$?{auth_ssf} bits=${auth_ssf}$.)\n\t_REC_BY_\n\t_REC_TLS_\n\t_REC_END_");
        m4.define("confSEVEN_BIT_INPUT", "False");
        m4.define("confALIAS_WAIT", "10");
        m4.define("confMIN_FREE_BLOCKS", "100");
        m4.define("confBLANK_SUB", ".");
        m4.define("confCON_EXPENSIVE", "False");
        m4.define("confDELIVERY_MODE", "background");
        m4.define("confTEMP_FILE_MODE", "0600");
        m4.define("confMCI_CACHE_SIZE", "2");
        m4.define("confMCI_CACHE_TIMEOUT", "5m");
        m4.define("confUSE_ERRORS_TO", "False");
        m4.define("confLOG_LEVEL", "9");
        m4.define("confCHECK_ALIASES", "False");
        m4.define("confOLD_STYLE_HEADERS", "True");
        m4.define("confPRIVACY_FLAGS", "authwarnings");
        m4.define("confSAFE_QUEUE", "True");
        m4.define("confTO_QUEUERETURN", "5d");
        m4.define("confTO_QUEUEWARN", "4h");
        m4.define("confTIME_ZONE", "USE_SYSTEM");
        m4.define("confCW_FILE", "MAIL_SETTINGS_DIR`'local-host-names");
        m4.define("confMIME_FORMAT_ERRORS", "True");
        m4.define("confFORWARD_PATH", "$z/.forward.$w:$z/.forward");
        m4.define("confCR_FILE", "-o MAIL_SETTINGS_DIR`'relay-domains");
    }

    List<String> daemonOptions() {
        return daemonOptions;
    }

    List<String> clientOptions() {
        return clientOptions;
    }

    /** What proto.m4 does at the end of the file: MAILER(local) if missing; the OSTYPE check. */
    void finish() {
        M4Engine.Location end = m4.endOfFile();
        if (!m4.isDefined("_MAILER_local_")) {
            m4.define("_MAILER_local_", "");
            m4.appendTo(7, McMailers.local(m4));
        }
        if (!m4.isDefined("__OSTYPE__")) {
            m4.note(end, "(end of file)", "no OSTYPE(...): m4 reports \"No system type defined\"; the interpreter"
                    + " goes on with sendmail-cf's defaults");
        }
        for (Pending pending : pendingMailerSettings) {
            if (!m4.isDefined("_MAILER_" + pending.mailer() + "_")) {
                m4.note(pending.call(), "no MAILER(`" + pending.mailer() + "') in the file, so this has no effect");
            }
        }
    }

    @Override
    public boolean handles(String name) {
        return CLASS_MACROS.containsKey(name) || INTERPRETED.contains(name) || NOT_INTERPRETED.contains(name)
                || DEFINE_ONLY.contains(name) && !m4.isDefined(name);
    }

    @Override
    public String call(M4Call call) {
        String name = call.name();
        String classLine = CLASS_MACROS.get(name);
        if (classLine != null) {
            if (name.startsWith("VIRTUSER_DOMAIN")) {
                m4.define("_VIRTHOSTS_", "");
            } else if (name.equals("TRUST_AUTH_MECH")) {
                m4.defineIfNot("_USE_AUTH_", "1");
            }
            return "PUSHDIVERT(5)" + classLine + call.arg(0) + "\nPOPDIVERT`'dnl`'";
        }
        if (NOT_INTERPRETED.contains(name)) {
            m4.note(call, switch (name) {
                case "MAIL_FILTER", "INPUT_MAIL_FILTER" -> "mail filters (X lines, InputMailFilters) are not"
                        + " interpreted";
                case "QUEUE_GROUP" -> "queue groups (Q lines) are not interpreted";
                case "SITECONFIG", "UUCPSMTP" -> "UUCP site configuration is not interpreted";
                default -> "sendmail-cf internal macro, not interpreted without m4";
            });
            return "";
        }
        if (DEFINE_ONLY.contains(name)) {
            m4.note(call, "sendmail-cf has no " + name + " macro: m4 copies this text as it is and " + name
                    + " stays unset; write define(`" + name + "', `...')");
            return "";
        }
        return switch (name) {
            case "VERSIONID" -> "`#####  " + call.arg(0) + "  #####'";
            case "OSTYPE" -> ostype(call);
            case "DOMAIN" -> domain(call);
            case "FEATURE" -> feature(call);
            case "HACK" -> {
                m4.note(call, "HACK(...) is not interpreted without m4: its site-specific rules are not in the"
                        + " translation");
                yield "";
            }
            case "MAILER" -> mailer(call);
            case "DAEMON_OPTIONS", "CLIENT_OPTIONS" -> portOptions(call);
            case "MASQUERADE_AS" -> {
                m4.define("MASQUERADE_NAME", m4.expand(call.arg(0)));
                yield "";
            }
            case "MODIFY_MAILER_FLAGS" -> modifyMailerFlags(call);
            case "LOCAL_CONFIG" -> "divert(6)";
            case "MAILER_DEFINITIONS" -> "divert(7)";
            case "LOCAL_RULE_0" -> "divert(3)";
            case "LOCAL_RULESETS" -> "divert(9)\n\n";
            case "LOCAL_RULE_1" -> "divert(9)dnl\n\nSsender=1\n";
            case "LOCAL_RULE_2" -> "divert(9)dnl\n\nSrecipient=2\n";
            case "LOCAL_RULE_3" -> divertUnread(call, 2, "ruleset 3 (canonify)");
            case "LOCAL_UUCP" -> divertUnread(call, 4, "ruleset 0's UUCP part");
            case "LOCAL_NET_CONFIG" -> {
                m4.define("_LOCAL_RULES_", "1");
                yield divertUnread(call, 1, "ruleset 0");
            }
            case "LOCAL_DNSBL" -> divertUnread(call, 8, "ruleset check_mail");
            case "LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES", "LOCAL_TRY_TLS", "LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT",
                 "LOCAL_TLS_SERVER" -> localRuleset(call);
            case "CONCAT" -> String.join("", call.args());
            case "DOL" -> "`$'" + call.arg(0);
            case "PUSHDIVERT" -> {
                m4.pushDivert(diversionNumber(call));
                yield "";
            }
            case "POPDIVERT" -> {
                m4.popDivert();
                yield "";
            }
            default -> throw new IllegalStateException("no rule for " + name);
        };
    }

    @Override
    public void defined(M4Call call, String name) {
        if (quiet) {
            return;
        }
        String mailer = McMailers.mailerReading(name);
        if (mailer != null) {
            mailerSetting(call, mailer);
            return;
        }
        if (McCfWriter.OPTION_VARIABLES.containsKey(name) || SETTINGS.contains(name) || name.equals("ALIAS_FILE")) {
            return;
        }
        if (name.equals("confDAEMON_OPTIONS") || name.equals("confCLIENT_OPTIONS")) {
            m4.note(call, name + " is no longer valid (m4 warns); it is taken as "
                    + name.substring(4) + "(...), as m4 does");
        } else if (name.startsWith("confMILTER_")) {
            m4.note(call, "Milter options are written only with MAIL_FILTER or INPUT_MAIL_FILTER, which are not"
                    + " interpreted; no O line is written for it");
        } else if (name.startsWith("conf")) {
            m4.note(call, "not a sendmail-cf option the interpreter knows; no O line is written for it");
        } else {
            m4.note(call, "not a setting the interpreter knows; kept only as an m4 macro for expansion");
        }
    }

    @Override
    public void undefined(M4Call call, String name) {
        if (quiet) {
            return;
        }
        String mailer = McMailers.mailerReading(name);
        if (mailer != null) {
            mailerSetting(call, mailer);
            return;
        }
        if (!McCfWriter.OPTION_VARIABLES.containsKey(name) && !SETTINGS.contains(name) && !name.equals("ALIAS_FILE")) {
            m4.note(call, "not a setting the interpreter knows; undefining " + name
                    + " changes none of the lines written");
        }
    }

    /** A mailer setting: no effect once its mailer is written; otherwise noted at the end if it never is. */
    private void mailerSetting(M4Call call, String mailer) {
        if (m4.isDefined("_MAILER_" + mailer + "_")) {
            m4.note(call, "comes after MAILER(`" + mailer + "'): m4 has already written that mailer, so this has"
                    + " no effect");
        } else {
            pendingMailerSettings.add(new Pending(call, mailer));
        }
    }

    private String ostype(M4Call call) {
        String system = call.arg(0).strip();
        if (m4.isDefined("__OSTYPE__")) {
            m4.note(call, "duplicate OSTYPE (m4 reports an error); its settings are applied again");
        }
        m4.define("__OSTYPE__", system);
        switch (system) {
            case "linux" -> applyQuietly(call, "define(`confEBINDIR', `/usr/sbin')\n"
                    + (m4.isDefined("PROCMAIL_MAILER_PATH")
                            ? "" : "define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')\n")
                    + "FEATURE(local_procmail)\n");
            case "debian" -> {
                if (!m4.isDefined("MAIL_SETTINGS_DIR")) {
                    m4.define("MAIL_SETTINGS_DIR", "/etc/mail/");
                }
                applyQuietly(call, OSTYPE_DEBIAN);
                m4.define("confMUST_QUOTE_CHARS", ".'");
                m4.note(call, "Debian's autoconf results (confBIND_OPTS for IPv6, confREJECT_NUL, milter support)"
                        + " are not applied without m4");
            }
            case "bsd4.4" -> {
                m4.defineIfNot("STATUS_FILE", "/var/log/sendmail.st");
                m4.defineIfNot("LOCAL_MAILER_PATH", "/usr/libexec/mail.local");
                m4.defineIfNot("UUCP_MAILER_ARGS", "uux - -r -z -a$g $h!rmail ($u)");
            }
            default -> m4.note(call, "OSTYPE(`" + system + "') is not known to the interpreter: its defaults"
                    + " (local mailer paths and flags, file locations such as StatusFile) are not applied without"
                    + " m4");
        }
        return "";
    }

    private String domain(M4Call call) {
        String domain = call.arg(0).strip();
        if (domain.equals("generic")) {
            applyQuietly(call, DOMAIN_GENERIC);
        } else {
            m4.note(call, "DOMAIN(`" + domain + "') is not known to the interpreter: its settings are not"
                    + " applied without m4");
        }
        return "";
    }

    private String feature(M4Call call) {
        String feature = call.arg(0).strip();
        String argument = call.arg(1);
        if (feature.isEmpty()) {
            m4.note(call, "FEATURE without a feature name (m4 reports an error: it cannot open feature/.m4);"
                    + " m4 calls a cf macro named anywhere in the text, comment lines included");
            return "";
        }
        if (m4.isDefined("_MAILER_DEFINED_")) {
            m4.note(call, "FEATURE() should be before MAILER() (m4 reports an error): mailers already written do"
                    + " not change");
        }
        switch (feature) {
            case "mailertable" -> {
                m4.define("_MAILER_TABLE_", "");
                m4.appendTo(6, "\nKmailertable " + mapSpec(argument, "mailertable", "mailer") + "\n");
            }
            case "genericstable" -> {
                m4.define("_GENERICS_TABLE_", "");
                m4.appendTo(6, "\nKgenerics " + mapSpec(argument, "genericstable", "generics") + "\n");
            }
            case "masquerade_envelope" -> m4.define("_MASQUERADE_ENVELOPE_", "1");
            case "masquerade_entire_domain" -> m4.define("_MASQUERADE_ENTIRE_DOMAIN_", "1");
            case "limited_masquerade" -> m4.define("_LIMITED_MASQUERADE_", "1");
            case "generics_entire_domain" -> m4.define("_GENERICS_ENTIRE_DOMAIN_", "1");
            case "allmasquerade" -> {
                mustPrecedeLocal(call, feature);
                m4.define("_ALL_MASQUERADE_", "1");
            }
            case "always_add_domain" -> {
                mustPrecedeLocal(call, feature);
                m4.define("_ALWAYS_ADD_DOMAIN_", argument.isEmpty() ? "" : m4.expand(argument));
            }
            case "nouucp", "nopercenthack" -> {
                String flag = feature.equals("nouucp") ? "_NO_UUCP_" : "_NO_PERCENTHACK_";
                String mode = m4.expand(argument);
                if (mode.startsWith("r") || mode.startsWith("n")) {
                    m4.define(flag, mode.substring(0, 1));
                } else {
                    m4.note(call, (mode.isEmpty() ? "missing" : "illegal") + " argument (m4 reports an error):"
                            + " use `reject' or `nospecial'");
                    if (mode.isEmpty()) {
                        m4.define(flag, "e");
                    }
                }
            }
            case "no_default_msa" -> m4.define("_NO_MSA_", "1");
            case "use_cw_file" -> m4.define("USE_CW_FILE", "");
            case "redirect" -> applyQuietly(call, REDIRECT);
            case "local_procmail" -> localProcmail(call);
            case "local_lmtp" -> {
                mustPrecedeLocal(call, feature);
                m4.define("LOCAL_MAILER_PATH", argument.isEmpty()
                        ? (m4.isDefined("confEBINDIR") ? m4.expand("confEBINDIR") : "/usr/libexec") + "/mail.local"
                        : m4.expand(argument));
                m4.define("LOCAL_MAILER_FLAGS", "PSXmnz9");
                String argv = m4.expand(call.arg(2));
                m4.define("LOCAL_MAILER_ARGS", argv.isEmpty() ? "mail.local -l" : argv);
                m4.define("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE", "SMTP");
                m4.define("_LOCAL_LMTP_", "1");
            }
            case "smrsh" -> {
                mustPrecedeLocal(call, feature);
                m4.define("LOCAL_SHELL_PATH", argument.isEmpty()
                        ? (m4.isDefined("confEBINDIR") ? m4.expand("confEBINDIR") : "/usr/libexec") + "/smrsh"
                        : m4.expand(argument));
                m4.defineIfNot("LOCAL_SHELL_ARGS", "smrsh -c $u");
            }
            case "msp", "nullclient" -> m4.note(call, "FEATURE(`" + feature + "') is not interpreted without m4:"
                    + " it changes options, mailers and rule sets throughout, so the translation does not describe"
                    + " this configuration; build it with m4");
            default -> m4.note(call, "FEATURE(`" + feature + "') is not interpreted without m4: its maps and"
                    + " rules are not in the translation");
        }
        return "";
    }

    /** The map of FEATURE(mailertable) or FEATURE(genericstable): default, {@code LDAP}, or as given. */
    private String mapSpec(String argument, String file, String ldapName) {
        if (argument.isEmpty()) {
            return m4.expand("DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`" + file + "'");
        }
        if (argument.equals("LDAP")) {
            return String.format(LDAP_MAP, ldapName);
        }
        return m4.expand(argument);
    }

    private void localProcmail(M4Call call) {
        mustPrecedeLocal(call, "local_procmail");
        String path = call.arg(1);
        m4.define("LOCAL_MAILER_PATH", path.isEmpty()
                ? (m4.isDefined("PROCMAIL_MAILER_PATH") ? m4.expand("PROCMAIL_MAILER_PATH") : "/usr/local/bin/procmail")
                : m4.expand(path));
        String argv = m4.expand(call.arg(2));
        m4.define("LOCAL_MAILER_ARGS", argv.isEmpty() ? "procmail -a $h -d $u" : argv);
        String flags = m4.expand(call.arg(3));
        m4.define("LOCAL_MAILER_FLAGS", flags.isEmpty() ? "SPfhn9" : flags);
        m4.undefine("_LOCAL_LMTP_");
        m4.undefine("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE");
    }

    private void mustPrecedeLocal(M4Call call, String feature) {
        if (m4.isDefined("_MAILER_local_")) {
            m4.note(call, "FEATURE(`" + feature + "') must come before MAILER(`local') (m4 reports an error):"
                    + " the local mailer already written does not change");
        }
    }

    private String mailer(M4Call call) {
        String mailer = call.arg(0).strip();
        if (call.args().size() > 1 && !call.arg(1).isEmpty()) {
            m4.note(call, "the second argument of MAILER is not interpreted");
        }
        if (mailer.isEmpty()) {
            m4.note(call, "MAILER without a mailer name");
            return "";
        }
        if (m4.isDefined("_MAILER_" + mailer + "_")) {
            m4.note(call, "MAILER(" + mailer + ") already included (m4 reports an error); not written again");
            return "";
        }
        m4.defineIfNot("_MAILER_DEFINED_", "1");
        m4.define("_MAILER_" + mailer + "_", "");
        switch (mailer) {
            case "local" -> m4.appendTo(7, McMailers.local(m4));
            case "smtp" -> m4.appendTo(7, McMailers.smtp(m4));
            case "procmail" -> m4.appendTo(7, McMailers.procmail(m4));
            default -> m4.note(call, "MAILER(`" + mailer + "') is not interpreted without m4: its mailer lines are"
                    + " not in the translation");
        }
        return "";
    }

    private String portOptions(M4Call call) {
        (call.name().equals("DAEMON_OPTIONS") ? daemonOptions : clientOptions).add(call.arg(0));
        if (call.args().size() > 1) {
            m4.note(call, "m4 uses only the first argument (`" + call.arg(0) + "'): what follows its first"
                    + " unquoted comma is dropped, as here; quote the whole value");
        }
        return "";
    }

    private String modifyMailerFlags(M4Call call) {
        String name = call.arg(0).strip();
        String mailer = McMailers.mailerOfFlags(name);
        if (mailer == null) {
            m4.note(call, "not the flags of a mailer the interpreter writes (SMTP, ESMTP, SMTP8, DSMTP, RELAY, LOCAL,"
                    + " SHELL, PROCMAIL)");
        } else if (!quiet) {
            mailerSetting(call, mailer);
        }
        McMailers.modifyFlags(m4, name, call.arg(1));
        return "";
    }

    private String divertUnread(M4Call call, int diversion, String where) {
        m4.note(call, "the rules that follow go into the middle of " + where + ", one of sendmail-cf's standard"
                + " rule sets, which are not reproduced without m4; they are not passed on");
        m4.divert(diversion);
        return "";
    }

    /** LOCAL_SRV_FEATURES and friends: a rule set of its own, written after LOCAL_RULESETS. */
    private String localRuleset(M4Call call) {
        String ruleset = switch (call.name()) {
            case "LOCAL_SRV_FEATURES" -> "Local_srv_features";
            case "LOCAL_CLT_FEATURES" -> "Local_clt_features";
            case "LOCAL_TRY_TLS" -> "Local_try_tls";
            case "LOCAL_TLS_RCPT" -> "Local_tls_rcpt";
            case "LOCAL_TLS_CLIENT" -> "Local_tls_client";
            default -> "Local_tls_server";
        };
        m4.define("_" + call.name() + "_", "");
        if (!m4.isDefined("_MAILER_DEFINED_")) {
            m4.note(call, "MAILER() should be before " + call.name() + " (m4 warns); the rule set is passed on");
        }
        m4.divert(9);
        m4.appendTo(9, "\nS" + ruleset);
        return "";
    }

    private int diversionNumber(M4Call call) {
        try {
            return Integer.parseInt(call.arg(0).strip());
        } catch (NumberFormatException e) {
            m4.note(call, "not a diversion number; output is discarded");
            return -1;
        }
    }

    /** Reads the text of a sendmail-cf file known by heart at the place of the call, its defines unreported. */
    private void applyQuietly(M4Call call, String text) {
        boolean wasQuiet = quiet;
        quiet = true;
        try {
            m4.runDiscarding(text, call.location());
        } finally {
            quiet = wasQuiet;
        }
    }
}
