package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code sendmail.cf} text of an interpreted {@code .mc} file in the order of
 * sendmail-cf's {@code m4/proto.m4}, the lines exactly as m4 would: the local info ({@code DS},
 * {@code Dj}, {@code DM}, {@code Dn}, classes, {@code LOCAL_CONFIG}), every option that
 * {@code _OPTION} writes uncommented (those defined in the file, or given a default by
 * {@code cfhead.m4}), the standard {@code H} lines, the masquerading rule sets, the rule sets from
 * {@code LOCAL_RULE_0} and {@code LOCAL_RULESETS}, and the mailers. The rest of proto.m4 (the
 * standard rule sets, trusted users, precedences, maps no interpreted feature needs) is left out:
 * none of it depends on anything the interpreter reads.
 */
final class McCfWriter {

    /**
     * proto.m4's options in its order: {@code O Name=variable}, where a variable is defined; a
     * null variable is an option written by its own rule ({@link #special}).
     */
    private static final String[][] OPTIONS = {
            {"SevenBitInput", "confSEVEN_BIT_INPUT"},
            {"EightBitMode", "confEIGHT_BIT_HANDLING"},
            {"AliasWait", "confALIAS_WAIT"},
            {"AliasFile", "ALIAS_FILE"},
            {"MinFreeBlocks", "confMIN_FREE_BLOCKS"},
            {"MaxMessageSize", "confMAX_MESSAGE_SIZE"},
            {"BlankSub", "confBLANK_SUB"},
            {"HoldExpensive", "confCON_EXPENSIVE"},
            {"CheckpointInterval", "confCHECKPOINT_INTERVAL"},
            {"DeliveryMode", "confDELIVERY_MODE"},
            {"ErrorHeader", "confERROR_MESSAGE"},
            {"ErrorMode", "confERROR_MODE"},
            {"SaveFromLine", "confSAVE_FROM_LINES"},
            {"QueueFileMode", "confQUEUE_FILE_MODE"},
            {"TempFileMode", "confTEMP_FILE_MODE"},
            {"MatchGECOS", "confMATCH_GECOS"},
            {"MaxHopCount", "confMAX_HOP"},
            {"HelpFile", null},
            {"IgnoreDots", "confIGNORE_DOTS"},
            {"ResolverOptions", "confBIND_OPTS"},
            {"SendMimeErrors", "confMIME_FORMAT_ERRORS"},
            {"ForwardPath", "confFORWARD_PATH"},
            {"ConnectionCacheSize", "confMCI_CACHE_SIZE"},
            {"ConnectionCacheTimeout", "confMCI_CACHE_TIMEOUT"},
            {"HostStatusDirectory", "confHOST_STATUS_DIRECTORY"},
            {"SingleThreadDelivery", "confSINGLE_THREAD_DELIVERY"},
            {"UseErrorsTo", "confUSE_ERRORS_TO"},
            {"UseCompressedIPv6Addresses", "confUSE_COMPRESSED_IPV6_ADDRESSES"},
            {"LogLevel", "confLOG_LEVEL"},
            {"MeToo", "confME_TOO"},
            {"CheckAliases", "confCHECK_ALIASES"},
            {"OldStyleHeaders", "confOLD_STYLE_HEADERS"},
            {"DaemonPortOptions", null},
            {"ClientPortOptions", null},
            {"DirectSubmissionModifiers", "confDIRECT_SUBMISSION_MODIFIERS"},
            {"UseMSP", "confUSE_MSP"},
            {"PrivacyOptions", "confPRIVACY_FLAGS"},
            {"PostmasterCopy", "confCOPY_ERRORS_TO"},
            {"QueueFactor", "confQUEUE_FACTOR"},
            {"MaxQueueChildren", "confMAX_QUEUE_CHILDREN"},
            {"MaxRunnersPerQueue", "confMAX_RUNNERS_PER_QUEUE"},
            {"NiceQueueRun", "confNICE_QUEUE_RUN"},
            {"QueueSortOrder", "confQUEUE_SORT_ORDER"},
            {"MinQueueAge", "confMIN_QUEUE_AGE"},
            {"MaxQueueAge", "confMAX_QUEUE_AGE"},
            {"MaxQueueRunSize", "confMAX_QUEUE_RUN_SIZE"},
            {"FastSplit", "confFAST_SPLIT"},
            {"QueueDirectory", null},
            {"SharedMemoryKey", "confSHARED_MEMORY_KEY"},
            {"SharedMemoryKeyFile", "confSHARED_MEMORY_KEY_FILE"},
            {"Timeout.initial", "confTO_INITIAL"},
            {"Timeout.connect", "confTO_CONNECT"},
            {"Timeout.aconnect", "confTO_ACONNECT"},
            {"Timeout.iconnect", "confTO_ICONNECT"},
            {"Timeout.helo", "confTO_HELO"},
            {"Timeout.mail", "confTO_MAIL"},
            {"Timeout.rcpt", "confTO_RCPT"},
            {"Timeout.datainit", "confTO_DATAINIT"},
            {"Timeout.datablock", "confTO_DATABLOCK"},
            {"Timeout.datafinal", "confTO_DATAFINAL"},
            {"Timeout.rset", "confTO_RSET"},
            {"Timeout.quit", "confTO_QUIT"},
            {"Timeout.misc", "confTO_MISC"},
            {"Timeout.command", "confTO_COMMAND"},
            {"Timeout.ident", "confTO_IDENT"},
            {"Timeout.fileopen", "confTO_FILEOPEN"},
            {"Timeout.control", "confTO_CONTROL"},
            {"Timeout.queuereturn", "confTO_QUEUERETURN"},
            {"Timeout.queuereturn.normal", "confTO_QUEUERETURN_NORMAL"},
            {"Timeout.queuereturn.urgent", "confTO_QUEUERETURN_URGENT"},
            {"Timeout.queuereturn.non-urgent", "confTO_QUEUERETURN_NONURGENT"},
            {"Timeout.queuereturn.dsn", "confTO_QUEUERETURN_DSN"},
            {"Timeout.queuewarn", "confTO_QUEUEWARN"},
            {"Timeout.queuewarn.normal", "confTO_QUEUEWARN_NORMAL"},
            {"Timeout.queuewarn.urgent", "confTO_QUEUEWARN_URGENT"},
            {"Timeout.queuewarn.non-urgent", "confTO_QUEUEWARN_NONURGENT"},
            {"Timeout.queuewarn.dsn", "confTO_QUEUEWARN_DSN"},
            {"Timeout.hoststatus", "confTO_HOSTSTATUS"},
            {"Timeout.resolver.retrans", "confTO_RESOLVER_RETRANS"},
            {"Timeout.resolver.retrans.first", "confTO_RESOLVER_RETRANS_FIRST"},
            {"Timeout.resolver.retrans.normal", "confTO_RESOLVER_RETRANS_NORMAL"},
            {"Timeout.resolver.retry", "confTO_RESOLVER_RETRY"},
            {"Timeout.resolver.retry.first", "confTO_RESOLVER_RETRY_FIRST"},
            {"Timeout.resolver.retry.normal", "confTO_RESOLVER_RETRY_NORMAL"},
            {"Timeout.lhlo", "confTO_LHLO"},
            {"Timeout.auth", "confTO_AUTH"},
            {"Timeout.starttls", "confTO_STARTTLS"},
            {"DeliverByMin", "confDELIVER_BY_MIN"},
            {"DontPruneRoutes", "confDONT_PRUNE_ROUTES"},
            {"SuperSafe", "confSAFE_QUEUE"},
            {"StatusFile", "STATUS_FILE"},
            {"TimeZoneSpec", null},
            {"DefaultUser", "confDEF_USER_ID"},
            {"UserDatabaseSpec", "confUSERDB_SPEC"},
            {"FallbackMXhost", "confFALLBACK_MX"},
            {"FallbackSmartHost", "confFALLBACK_SMARTHOST"},
            {"TryNullMXList", "confTRY_NULL_MX_LIST"},
            {"QueueLA", "confQUEUE_LA"},
            {"RefuseLA", "confREFUSE_LA"},
            {"RejectLogInterval", "confREJECT_LOG_INTERVAL"},
            {"DelayLA", "confDELAY_LA"},
            {"MaxDaemonChildren", "confMAX_DAEMON_CHILDREN"},
            {"ConnectionRateThrottle", "confCONNECTION_RATE_THROTTLE"},
            {"ConnectionRateWindowSize", "confCONNECTION_RATE_WINDOW_SIZE"},
            {"RecipientFactor", "confWORK_RECIPIENT_FACTOR"},
            {"ForkEachJob", "confSEPARATE_PROC"},
            {"ClassFactor", "confWORK_CLASS_FACTOR"},
            {"RetryFactor", "confWORK_TIME_FACTOR"},
            {"DefaultCharSet", "confDEF_CHAR_SET"},
            {"ServiceSwitchFile", "confSERVICE_SWITCH_FILE"},
            {"HostsFile", "confHOSTS_FILE"},
            {"DialDelay", "confDIAL_DELAY"},
            {"NoRecipientAction", "confNO_RCPT_ACTION"},
            {"SafeFileEnvironment", "confSAFE_FILE_ENV"},
            {"ColonOkInAddr", "confCOLON_OK_IN_ADDR"},
            {"DontExpandCnames", "confDONT_EXPAND_CNAMES"},
            {"SmtpGreetingMessage", "confSMTP_LOGIN_MSG"},
            {"UnixFromLine", "confFROM_LINE"},
            {"SingleLineFromHeader", "confSINGLE_LINE_FROM_HEADER"},
            {"AllowBogusHELO", "confALLOW_BOGUS_HELO"},
            {"MustQuoteChars", "confMUST_QUOTE_CHARS"},
            {"OperatorChars", "confOPERATORS"},
            {"DontInitGroups", "confDONT_INIT_GROUPS"},
            {"UnsafeGroupWrites", "confUNSAFE_GROUP_WRITES"},
            {"DoubleBounceAddress", "confDOUBLE_BOUNCE_ADDRESS"},
            {"SoftBounce", "confSOFT_BOUNCE"},
            {"DeadLetterDrop", "confDEAD_LETTER_DROP"},
            {"RunAsUser", "confRUN_AS_USER"},
            {"MaxRecipientsPerMessage", "confMAX_RCPTS_PER_MESSAGE"},
            {"BadRcptThrottle", "confBAD_RCPT_THROTTLE"},
            {"DontProbeInterfaces", "confDONT_PROBE_INTERFACES"},
            {"RrtImpliesDsn", "confRRT_IMPLIES_DSN"},
            {"ConnectOnlyTo", "confCONNECT_ONLY_TO"},
            {"TrustedUser", "confTRUSTED_USER"},
            {"ControlSocketName", "confCONTROL_SOCKET_NAME"},
            {"MaxMimeHeaderLength", "confMAX_MIME_HEADER_LENGTH"},
            {"MaxHeadersLength", "confMAX_HEADERS_LENGTH"},
            {"MaxAliasRecursion", "confMAX_ALIAS_RECURSION"},
            {"PidFile", "confPID_FILE"},
            {"ProcessTitlePrefix", "confPROCESS_TITLE_PREFIX"},
            {"DataFileBufferSize", "confDF_BUFFER_SIZE"},
            {"XscriptFileBufferSize", "confXF_BUFFER_SIZE"},
            {"MailboxDatabase", "confMAILBOX_DATABASE"},
            {"RequiresDirfsync", "confREQUIRES_DIR_FSYNC"},
            {"AuthMechanisms", "confAUTH_MECHANISMS"},
            {"AuthRealm", "confAUTH_REALM"},
            {"DefaultAuthInfo", "confDEF_AUTH_INFO"},
            {"AuthOptions", "confAUTH_OPTIONS"},
            {"AuthMaxBits", "confAUTH_MAX_BITS"},
            {"TLSSrvOptions", "confTLS_SRV_OPTIONS"},
            {"CipherList", "confCIPHER_LIST"},
            {"ServerSSLOptions", "confSERVER_SSL_OPTIONS"},
            {"ClientSSLOptions", "confCLIENT_SSL_OPTIONS"},
            {"SSLEngine", "confSSL_ENGINE"},
            {"SSLEnginePath", "confSSL_ENGINE_PATH"},
            {"TLSFallbacktoClear", "confTLS_FALLBACK_TO_CLEAR"},
            {"InputMailFilters", "confINPUT_MAIL_FILTERS"},
            {"CACertPath", "confCACERT_PATH"},
            {"CACertFile", "confCACERT"},
            {"ServerCertFile", "confSERVER_CERT"},
            {"ServerKeyFile", "confSERVER_KEY"},
            {"ClientCertFile", "confCLIENT_CERT"},
            {"ClientKeyFile", "confCLIENT_KEY"},
            {"CRLFile", "confCRL"},
            {"CRLPath", "confCRL_PATH"},
            {"DHParameters", "confDH_PARAMETERS"},
            {"RandFile", "confRAND_FILE"},
            {"CertFingerprintAlgorithm", "confCERT_FINGERPRINT_ALGORITHM"},
            {"DANE", "confDANE"},
            {"MaxNOOPCommands", "confMAX_NOOP_COMMANDS"},
            {"HeloName", "confHELO_NAME"},
            {"RejectNUL", "confREJECT_NUL"}
    };

    /** The variables of {@link #OPTIONS} and of the two options proto.m4 writes before the local info. */
    static final Map<String, String> OPTION_VARIABLES = optionVariables();

    private final M4Engine m4;
    private final List<String> daemonOptions;
    private final List<String> clientOptions;
    private final StringBuilder cf = new StringBuilder();

    private McCfWriter(M4Engine m4, List<String> daemonOptions, List<String> clientOptions) {
        this.m4 = m4;
        this.daemonOptions = daemonOptions;
        this.clientOptions = clientOptions;
    }

    /**
     * The cf text, once the whole file has been read.
     *
     * @param daemonOptions the arguments of {@code DAEMON_OPTIONS}, in order, not yet expanded
     * @param clientOptions the arguments of {@code CLIENT_OPTIONS}
     */
    static String write(M4Engine m4, List<String> daemonOptions, List<String> clientOptions) {
        return new McCfWriter(m4, daemonOptions, clientOptions).write();
    }

    private String write() {
        String top = m4.diversionText(0);
        cf.append(top);
        if (!top.isEmpty() && !top.endsWith("\n")) {
            cf.append('\n');
        }
        option("DontBlameSendmail", "confDONT_BLAME_SENDMAIL");
        option("LDAPDefaultSpec", "confLDAP_DEFAULT_SPEC");
        cf.append('V').append("10").append(m4.isDefined("NO_VENDOR") ? ""
                : "/" + (m4.isDefined("VENDOR_NAME") ? m4.expand("VENDOR_NAME") : "Berkeley")).append('\n');
        localInfo();
        block(m4.diversionText(6)); // LOCAL_CONFIG, and the K lines of FEATURE(mailertable) and FEATURE(genericstable)
        options();
        headers();
        String parseLocal = m4.diversionText(3);
        if (!parseLocal.isBlank()) {
            cf.append("SParseLocal=98\n");
            block(parseLocal);
        }
        masquerading();
        block(m4.diversionText(9)); // LOCAL_RULESETS, LOCAL_RULE_1, LOCAL_RULE_2, LOCAL_SRV_FEATURES, ...
        block(m4.diversionText(7)); // MAILER(...) and MAILER_DEFINITIONS
        return cf.toString();
    }

    /** proto.m4 from "local info" to the LOCAL_CONFIG diversion. */
    private void localInfo() {
        if (m4.isDefined("confLDAP_CLUSTER")) {
            cf.append("D{sendmailMTACluster}").append(m4.expand("confLDAP_CLUSTER")).append('\n');
        }
        cf.append("Cwlocalhost\n");
        if (m4.isDefined("USE_CW_FILE")) {
            cf.append("Fw").append(m4.expand("confCW_FILE")).append('\n');
        }
        if (m4.isDefined("confDOMAIN_NAME")) {
            cf.append("Dj").append(m4.expand("confDOMAIN_NAME")).append('\n');
        }
        cf.append("CP.\n");
        relay("UUCP_RELAY", 'Y', "UUCP");
        relay("BITNET_RELAY", 'B', "BITNET");
        relay("DECNET_RELAY", 'C', "DECNET");
        relay("FAX_RELAY", 'F', "FAX");
        cf.append("DS").append(m4.isDefined("SMART_HOST") ? m4.expand("SMART_HOST") : "").append('\n');
        if (m4.isDefined("LUSER_RELAY")) {
            cf.append("Kuser user -m -a<>\n");
            cf.append("DL").append(m4.expand("LUSER_RELAY")).append('\n');
        }
        cf.append("CO @ ").append(m4.isDefined("_NO_PERCENTHACK_") ? "" : "%").append(' ')
                .append(m4.isDefined("_NO_UUCP_") ? "" : "!").append('\n');
        cf.append("C..\n");
        cf.append("C[[\n");
        if (m4.isDefined("confCR_FILE")) {
            cf.append("FR").append(m4.expand("confCR_FILE")).append('\n');
        }
        if (m4.isDefined("LOCAL_RELAY")) {
            cf.append("DR").append(m4.expand("LOCAL_RELAY")).append('\n');
        }
        if (m4.isDefined("MAIL_HUB")) {
            cf.append("DH").append(m4.expand("MAIL_HUB")).append('\n');
        }
        block(m4.diversionText(5)); // the class macros: EXPOSED_USER, MASQUERADE_DOMAIN, GENERICS_DOMAIN, ...
        if (m4.isDefined("_VIRTHOSTS_")) {
            cf.append("CR$={VirtHost}\n");
        }
        if (m4.isDefined("MASQUERADE_NAME")) {
            cf.append("DM").append(m4.expand("MASQUERADE_NAME")).append('\n');
        }
        if (m4.isDefined("confMAILER_NAME")) {
            cf.append("Dn").append(m4.expand("confMAILER_NAME")).append('\n');
        }
    }

    private void relay(String variable, char macro, String pseudoDomain) {
        if (m4.isDefined(variable)) {
            cf.append('D').append(macro).append(m4.expand(variable)).append('\n');
            cf.append("CP").append(pseudoDomain).append('\n');
        }
    }

    private void options() {
        if (m4.isDefined("confMESSAGE_TIMEOUT")) {
            // proto.m4's compatibility: "return/warn" sets both timeouts.
            String timeout = m4.expand("confMESSAGE_TIMEOUT");
            int slash = timeout.indexOf('/');
            if (slash < 0) {
                m4.define("confTO_QUEUERETURN", timeout);
            } else {
                m4.define("confTO_QUEUERETURN", timeout.substring(0, slash));
                m4.define("confTO_QUEUEWARN", timeout.substring(slash + 1));
            }
        }
        for (String[] option : OPTIONS) {
            if (option[1] != null) {
                option(option[0], option[1]);
            } else {
                special(option[0]);
            }
        }
    }

    /** proto.m4's {@code _OPTION}: written only when its variable is defined; {@code =value} unless defined empty. */
    private void option(String name, String variable) {
        String definition = m4.definition(variable);
        if (definition != null) {
            cf.append("O ").append(name).append(definition.isEmpty() ? "" : "=" + m4.expand(variable)).append('\n');
        }
    }

    private void special(String name) {
        switch (name) {
            case "HelpFile" -> cf.append("O HelpFile=")
                    .append(m4.expand(m4.isDefined("HELP_FILE") ? "HELP_FILE" : "MAIL_SETTINGS_DIR`'helpfile"))
                    .append('\n');
            case "QueueDirectory" -> cf.append("O QueueDirectory=")
                    .append(m4.isDefined("QUEUE_DIR") ? m4.expand("QUEUE_DIR") : "/var/spool/mqueue").append('\n');
            case "TimeZoneSpec" -> {
                String zone = m4.expand("confTIME_ZONE");
                if (zone.equals("USE_TZ")) {
                    cf.append("O TimeZoneSpec=\n");
                } else if (!zone.equals("USE_SYSTEM")) {
                    cf.append("O TimeZoneSpec=").append(zone).append('\n');
                }
            }
            case "DaemonPortOptions" -> {
                List<String> daemons = new ArrayList<>(daemonOptions);
                String obsolete = m4.definition("confDAEMON_OPTIONS");
                if (obsolete != null && !obsolete.isEmpty()) {
                    daemons.add("confDAEMON_OPTIONS");
                }
                if (daemons.isEmpty()) {
                    cf.append("O DaemonPortOptions=Name=MTA\n");
                }
                for (String daemon : daemons) {
                    cf.append("O DaemonPortOptions=").append(m4.expand(daemon)).append('\n');
                }
                if (!m4.isDefined("_NO_MSA_")) {
                    cf.append("O DaemonPortOptions=Port=587, Name=MSA, M=E\n");
                }
            }
            case "ClientPortOptions" -> {
                List<String> clients = new ArrayList<>(clientOptions);
                String obsolete = m4.definition("confCLIENT_OPTIONS");
                if (obsolete != null && !obsolete.isEmpty()) {
                    clients.add("confCLIENT_OPTIONS");
                }
                for (String client : clients) {
                    cf.append("O ClientPortOptions=").append(m4.expand(client)).append('\n');
                }
            }
            default -> throw new IllegalStateException("no rule for option " + name);
        }
    }

    /** proto.m4's "Format of headers". */
    private void headers() {
        m4.defineIfNot("confFROM_HEADER", "$?x$x <$g>$|$g$.");
        m4.defineIfNot("confMESSAGEID_HEADER", "<$t.$i@$j>");
        String from = m4.expand("confFROM_HEADER");
        String messageId = m4.expand("confMESSAGEID_HEADER");
        cf.append("H?P?Return-Path: <$g>\n");
        cf.append("HReceived: ").append(m4.expand("confRECEIVED_HEADER")).append('\n');
        cf.append("H?D?Resent-Date: $a\n");
        cf.append("H?D?Date: $a\n");
        cf.append("H?F?Resent-From: ").append(from).append('\n');
        cf.append("H?F?From: ").append(from).append('\n');
        cf.append("H?x?Full-Name: $x\n");
        cf.append("H?M?Resent-Message-Id: ").append(messageId).append('\n');
        cf.append("H?M?Message-Id: ").append(messageId).append('\n');
    }

    /** proto.m4's rule sets MasqHdr (93) and MasqEnv (94): masquerading and the genericstable. */
    private void masquerading() {
        boolean entireDomain = m4.isDefined("_MASQUERADE_ENTIRE_DOMAIN_");
        boolean limited = m4.isDefined("_LIMITED_MASQUERADE_");
        cf.append("SMasqHdr=93\n");
        if (m4.isDefined("_GENERICS_TABLE_")) {
            cf.append(m4.isDefined("_GENERICS_ENTIRE_DOMAIN_")
                    ? "R$+ < @ $* $=G . >\t$: < $1@$2$3 > $1 < @ $2$3 . > @\tmark\n"
                    : "R$+ < @ $=G . >\t$: < $1@$2 > $1 < @ $2 . > @\tmark\n");
            cf.append("""
                    R$+ < @ *LOCAL* >\t$: < $1@$j > $1 < @ *LOCAL* > @\tmark
                    R< $+ > $+ < $* > @\t$: < $(generics $1 $: @ $1 $) > $2 < $3 >
                    R<@$+ + $* @ $+> $+ < @ $+ >
                    \t\t$: < $(generics $1+*@$3 $@ $2 $:@$1 + $2@$3 $) >  $4 < @ $5 >
                    R<@$+ + $* @ $+> $+ < @ $+ >
                    \t\t$: < $(generics $1@$3 $: $) > $4 < @ $5 >
                    R<@$+ > $+ < @ $+ >\t$: < > $2 < @ $3 >
                    R< > $+ < @ $+ . >\t$: < $(generics @$2 $@ $1 $: $) > $1 < @ $2 . >
                    R< > $+ < @ $+ >\t$: < $(generics $1 $: $) > $1 < @ $2 >
                    R< > $+ + $* < @ $+ >\t$: < $(generics $1+* $@ $2 $: $) > $1 + $2 < @ $3 >
                    R< > $+ + $* < @ $+ >\t$: < $(generics $1 $: $) > $1 + $2 < @ $3 >
                    R< $* @ $* > $* < $* >\t$@ $>canonify $1 @ $2\t\tfound qualified
                    R< $+ > $* < $* >\t$: $>canonify $1 @ *LOCAL*\tfound unqualified
                    R< > $*\t\t\t$: $1\t\t\t\tnot found
                    """);
        }
        cf.append("R$* < @ $* $=N . >\t$@ $1 < @ $2 $3 . >\n");
        if (m4.isDefined("MASQUERADE_NAME")) {
            cf.append("R$=E < @ *LOCAL* >\t$@ $1 < @ $j . >\t\tleave exposed\n");
            cf.append(entireDomain
                    ? "R$=E < @ $* $=M . >\t$@ $1 < @ $2 $3 . >\n"
                    : "R$=E < @ $=M . >\t$@ $1 < @ $2 . >\n");
            if (!limited) {
                cf.append("R$=E < @ $=w . >\t$@ $1 < @ $2 . >\n");
            }
            cf.append(entireDomain
                    ? "R$* < @ $* $=M . > $*\t$: $1 < @ $2 $3 . @ $M > $4\tconvert masqueraded doms\n"
                    : "R$* < @ $=M . > $*\t$: $1 < @ $2 . @ $M > $3\tconvert masqueraded doms\n");
            if (!limited) {
                cf.append("R$* < @ $=w . > $*\t$: $1 < @ $2 . @ $M > $3\n");
            }
            cf.append("""
                    R$* < @ *LOCAL* > $*\t$: $1 < @ $j . @ $M > $2
                    R$* < @ $+ @ > $*\t$: $1 < @ $2 > $3\t\t$M is null
                    R$* < @ $+ @ $+ > $*\t$: $1 < @ $3 . > $4\t\t$M is not null
                    """);
        } else {
            cf.append("R$* < @ *LOCAL* >\t$@ $1 < @ $j . >\n");
        }
        cf.append("\nSMasqEnv=94\n");
        cf.append(m4.isDefined("_MASQUERADE_ENVELOPE_")
                ? "R$+\t\t\t$@ $>MasqHdr $1\n"
                : "R$* < @ *LOCAL* > $*\t$: $1 < @ $j . > $2\n");
        cf.append('\n');
    }

    /** Appends a diversion's text, ending it with a newline. */
    private void block(String text) {
        if (text.isBlank()) {
            return;
        }
        cf.append(text);
        if (!text.endsWith("\n")) {
            cf.append('\n');
        }
    }

    private static Map<String, String> optionVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("confDONT_BLAME_SENDMAIL", "DontBlameSendmail");
        variables.put("confLDAP_DEFAULT_SPEC", "LDAPDefaultSpec");
        for (String[] option : OPTIONS) {
            if (option[1] != null) {
                variables.put(option[1], option[0]);
            }
        }
        return Map.copyOf(variables);
    }
}
