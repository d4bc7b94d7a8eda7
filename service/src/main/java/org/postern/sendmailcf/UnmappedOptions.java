package org.postern.sendmailcf;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why each sendmail option that the importer does not map is left out, in one place: either it is
 * what Postern does anyway ({@link ImportReport.Kind#DEFAULT}), or Postern has no equivalent
 * ({@link ImportReport.Kind#UNMAPPED}), with the reason an administrator needs. Options not listed
 * get a generic reason, so no option is ever skipped without a report line.
 */
public final class UnmappedOptions {

    /** The decision for one option. */
    public record Decision(ImportReport.Kind kind, String reason) {
    }

    private static final String LOCAL = "local delivery; Postern is a relay and delivers nothing on this host";
    private static final Map<String, Decision> OPTIONS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Options that match Postern's behaviour only with this value (case-insensitive). */
    private static final Map<String, String> DEFAULT_VALUES = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        matches("SuperSafe", "true", "Postern always writes and fsyncs a message before it answers 250");
        matches("DeliveryMode", "background", "Postern queues every message, then delivers it in the background");
        matches("SevenBitInput", "false", "Postern keeps the eighth bit of what it receives");
        matches("SendMimeErrors", "true", "Postern's bounces are MIME delivery status notifications (RFC 3464)");
        matches("UseErrorsTo", "false", "Postern never sends errors to an Errors-To: header");
        matches("ColonOkInAddr", "false", "Postern parses addresses as RFC 5321 paths");
        matches("NoRecipientAction", "none", "Postern adds no recipient header to a message without one");
        matches("DoubleBounceAddress", "postmaster", "a bounce that cannot be delivered is not bounced again");
        unmapped("SuperSafe", "Postern always fsyncs before 250 (as SuperSafe=True): the setting is not carried over");
        unmapped("DeliveryMode", "Postern always queues, then delivers in the background (as background);"
                + " interactive delivery would break \"250 means durable\"");
        unmapped("AliasFile", LOCAL + " (aliases)");
        unmapped("AliasWait", LOCAL + " (aliases)");
        unmapped("CheckAliases", LOCAL + " (aliases)");
        unmapped("ForwardPath", LOCAL + " (.forward files)");
        unmapped("UnixFromLine", LOCAL + " (mailbox From_ lines)");
        unmapped("TempFileMode", "Postern creates its spool files with its own permissions (docs/spool-format.md)");
        unmapped("QueueDirectory", "set postern.spool.directory; Postern's spool format is its own, never share"
                + " sendmail's queue directory");
        unmapped("MinFreeBlocks", "Postern's floor is postern.health.spool-min-free-space (readiness goes DOWN"
                + " below it); file system blocks are not carried over");
        unmapped("HelpFile", "Postern answers HELP with a fixed text");
        unmapped("SmtpGreetingMessage", "Postern's greeting is fixed ($j ESMTP Postern)");
        unmapped("LogLevel", "use Spring Boot's logging.level.* and postern.maillog (docs/operations-logging.md)");
        unmapped("BlankSub", "Postern does not rewrite unquoted spaces in addresses: such an address is refused");
        unmapped("HoldExpensive", "Postern always holds mail for mailers with flag e until the first retry"
                + " (as HoldExpensive=True)");
        unmapped("ConnectionCacheSize", "Postern keeps outbound connections per destination"
                + " (postern.queue.destination-concurrency, connection-cache-time); sendmail's cache is per queue run");
        unmapped("ConnectionCacheTimeout", "Postern keeps an idle outbound connection for"
                + " postern.queue.connection-cache-time (default 2s); sendmail's cache lives for one queue run");
        unmapped("OldStyleHeaders", "Postern parses header addresses as RFC 5322 lists");
        unmapped("PrivacyOptions", "Postern answers VRFY with 252 (250 for mailers with flag q), has no EXPN, adds no"
                + " X-Authentication-Warning and has no queue runs to restrict");
        unmapped("MaxHeadersLength", "Postern keeps up to 256KB of header for header checks and refuses more");
        unmapped("EightBitMode", "8-bit handling is per mailer in Postern: flags 7, 8 and 9 (docs/sendmail-mapping.md)");
        unmapped("StatusFile", "use the Prometheus metrics (docs/metrics.md)");
        unmapped("DefaultUser", "Postern runs as its own user and runs no programs");
        unmapped("RunAsUser", "Postern runs as its own user (the container's)");
        unmapped("TrustedUser", "Postern has no local submission or control socket");
        unmapped("QueueLA", "load-average throttling: Postern bounds sessions and deliveries directly"
                + " (postern.limits, postern.queue.max-concurrency)");
        unmapped("RefuseLA", "load-average throttling: Postern bounds sessions directly (postern.limits.max-sessions)");
        unmapped("DelayLA", "load-average throttling: Postern bounds sessions directly (postern.limits.max-sessions)");
        unmapped("QueueSortOrder", "Postern schedules each message by its own retry time, per destination");
        unmapped("QueueFactor", "load-based queueing; Postern always queues");
        unmapped("RecipientFactor", "queue priorities; Postern schedules by retry time");
        unmapped("RetryFactor", "queue priorities; Postern schedules by retry time");
        unmapped("ClassFactor", "queue priorities; Postern schedules by retry time");
        unmapped("MaxQueueRunSize", "Postern has no queue runs: postern.queue.max-concurrency bounds deliveries");
        unmapped("MaxQueueChildren", "Postern has no queue runs: postern.queue.max-concurrency bounds deliveries");
        unmapped("QueueDirectory", "set postern.spool.directory; never share sendmail's queue directory");
        unmapped("HostStatusDirectory", "Postern keeps no long-term host status; circuit breakers per destination"
                + " do that job (resilience4j, docs/delivery.md)");
        unmapped("SingleThreadDelivery", "Postern keeps no host status files");
        unmapped("ResolverOptions", "set postern.dns (servers, timeouts)");
        unmapped("HostsFile", "Postern resolves with DNS only (postern.dns)");
        unmapped("ServiceSwitchFile", "Postern resolves with DNS only (postern.dns)");
        unmapped("DontProbeInterfaces", "Postern has no class {w} of local names to fill");
        unmapped("ForkEachJob", "Postern delivers with threads, not processes");
        unmapped("AuthMechanisms", "Postern offers PLAIN and LOGIN when postern.auth.users is set");
        unmapped("AuthOptions", "Postern offers AUTH only under TLS unless postern.auth.allow-without-tls");
        unmapped("DefaultAuthInfo", "outbound credentials are postern.routing.auth.<host>");
        unmapped("ServerCertFile", "set postern.tls.certificate (PEM)");
        unmapped("ServerKeyFile", "set postern.tls.private-key (PEM)");
        unmapped("ClientCertFile", "Postern presents no client certificate");
        unmapped("ClientKeyFile", "Postern presents no client certificate");
        unmapped("CACertFile", "Postern verifies next hops with the JVM's trust store when postern.routing.tls requires it");
        unmapped("CACertPath", "Postern verifies next hops with the JVM's trust store when postern.routing.tls requires it");
        unmapped("CipherList", "Postern uses the JVM's TLS defaults");
        unmapped("TLSSrvOptions", "Postern uses the JVM's TLS defaults");
        unmapped("RandFile", "the JVM seeds its own random numbers");
        unmapped("DHParameters", "the JVM chooses TLS key exchange");
        unmapped("MaxHopCount", "Postern does not count Received: headers to detect loops; flag k and the EHLO name"
                + " check detect them");
        unmapped("MaxMimeHeaderLength", "Postern does not truncate MIME headers");
        unmapped("MeToo", "alias expansion is local delivery");
        unmapped("SafeFileEnvironment", LOCAL);
        unmapped("DontBlameSendmail", "file permission checks of sendmail's own files");
        unmapped("PostmasterCopy", "Postern sends no copies of bounces to the postmaster");
        unmapped("ErrorMode", "Postern always reports errors by DSN (as ErrorMode=m)");
        unmapped("Timeout.misc", "Postern times each outbound command on its own (postern.timeouts)");
        unmapped("Timeout.iconnect", "Postern has one connect timeout (postern.timeouts.connect)");
        unmapped("Timeout.aconnect", "Postern has one connect timeout per address (postern.timeouts.connect)");
        unmapped("Timeout.ident", "Postern makes no IDENT queries");
        unmapped("Timeout.fileopen", "Postern opens no files over NFS");
        unmapped("Timeout.control", "Postern has no control socket; use /actuator");
        unmapped("Timeout.hoststatus", "Postern keeps no host status; circuit breakers per destination (resilience4j)");
        unmapped("Timeout.resolver.retrans", "set postern.dns");
        unmapped("Timeout.resolver.retry", "set postern.dns");
        unmapped("Timeout.queuereturn.normal", "Postern has one lifetime for every message (postern.queue.lifetime)");
        unmapped("Timeout.queuereturn.urgent", "Postern has one lifetime for every message (postern.queue.lifetime)");
        unmapped("Timeout.queuereturn.non-urgent", "Postern has one lifetime (postern.queue.lifetime)");
        unmapped("Timeout.queuereturn.dsn", "Postern has one lifetime (postern.queue.lifetime)");
        unmapped("Timeout.queuewarn.normal", "Postern has one delay warning time (postern.queue.warn-after)");
        unmapped("Timeout.queuewarn.urgent", "Postern has one delay warning time (postern.queue.warn-after)");
        unmapped("Timeout.queuewarn.non-urgent", "Postern has one delay warning time (postern.queue.warn-after)");
        unmapped("Timeout.queuewarn.dsn", "Postern has one delay warning time (postern.queue.warn-after)");
        unmapped("InputMailFilters", "Postern has no milter interface; header checks are postern.header-checks");
        unmapped("Milter.macros.connect", "Postern has no milter interface");
        unmapped("Milter.macros.helo", "Postern has no milter interface");
        unmapped("Milter.macros.envfrom", "Postern has no milter interface");
        unmapped("Milter.macros.envrcpt", "Postern has no milter interface");
        unmapped("Milter.macros.eom", "Postern has no milter interface");
        unmapped("Milter.macros.data", "Postern has no milter interface");
        unmapped("Milter.macros.eoh", "Postern has no milter interface");
        unmapped("MinQueueAgeGroup", "Postern has no queue groups");
    }

    private UnmappedOptions() {
    }

    private static void matches(String option, String value, String reason) {
        DEFAULT_VALUES.put(option, value);
        OPTIONS.put(option + "=" + value, new Decision(ImportReport.Kind.DEFAULT, reason));
    }

    private static void unmapped(String option, String reason) {
        OPTIONS.putIfAbsent(option, new Decision(ImportReport.Kind.UNMAPPED, reason));
    }

    /** What to report for an option the importer does not map. */
    public static Decision decide(String name, String value) {
        String v = value.strip();
        String normal = v.isEmpty() ? "true" : v.toLowerCase(Locale.ROOT);
        if (normal.equals("t")) {
            normal = "true";
        } else if (normal.equals("f")) {
            normal = "false";
        }
        String expected = DEFAULT_VALUES.get(name);
        if (expected != null && expected.equalsIgnoreCase(normal)) {
            return OPTIONS.get(name + "=" + expected);
        }
        Decision d = OPTIONS.get(name);
        if (d != null) {
            return d;
        }
        if (name.startsWith("Timeout.")) {
            return new Decision(ImportReport.Kind.UNMAPPED, "Postern has no such timeout (its outbound ones are"
                    + " postern.timeouts)");
        }
        if (name.length() == 1) {
            return new Decision(ImportReport.Kind.UNMAPPED, "an old one-letter option; write the long name (sendmail"
                    + " 8.7+) if it matters: the importer maps long names only");
        }
        return new Decision(ImportReport.Kind.UNMAPPED, "Postern has no equivalent of this option");
    }
}
