package org.postern.macro;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every macro of the operations guide's list (§5.2), plus {@code $Z}, with what it means in Postern
 * and when it is known. Header templates are checked against it at startup: a name that is not
 * here (and not an operator's own {@code postern.macros} entry) fails, and so does a macro that
 * Postern does not provide or that is not known where the template is expanded.
 */
public final class MacroCatalog {

    /** Where a header template is expanded. */
    public enum Context {
        /** At receipt, in the session, before the content is read: the {@code Received:} header. */
        RECEIPT("at receipt (the Received header)"),
        /** At delivery, for one mailer and next hop: every other header rule. */
        DELIVERY("at delivery");

        private final String description;

        Context(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Where a provided macro has a value. */
    public enum Availability {
        RECEIPT, DELIVERY, BOTH, NONE;

        boolean covers(Context context) {
            return this == BOTH || this.name().equals(context.name());
        }
    }

    /**
     * One macro.
     *
     * @param name         the name without braces
     * @param meaning      what it holds in Postern
     * @param availability where it has a value; {@code NONE} when Postern does not provide it
     * @param why          for {@code NONE}, why not; for a context-bound macro, why it is bound
     */
    public record Entry(String name, String meaning, Availability availability, String why) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static void both(String name, String meaning) {
        ENTRIES.put(name, new Entry(name, meaning, Availability.BOTH, null));
    }

    private static void receipt(String name, String meaning, String why) {
        ENTRIES.put(name, new Entry(name, meaning, Availability.RECEIPT, why));
    }

    private static void delivery(String name, String meaning, String why) {
        ENTRIES.put(name, new Entry(name, meaning, Availability.DELIVERY, why));
    }

    private static void none(String name, String meaning, String why) {
        ENTRIES.put(name, new Entry(name, meaning, Availability.NONE, why));
    }

    private static final String SESSION_ONLY = "a property of the SMTP session that is not stored with the message";
    private static final String NO_CLIENT_CERTS = "Postern does not request client certificates";

    static {
        both("a", "the origination date (RFC 5322): at delivery the message's Date: field, or the arrival time when it"
                + " has none; at receipt (no header read yet) the current time");
        both("b", "the current date (RFC 5322 form): at receipt the time of receipt; at delivery the arrival time, as"
                + " sendmail sets it when it creates the envelope, so every copy of a message gets the same values");
        delivery("c", "the hop count: the number of Received: fields in the message",
                "counted from the header, which is read only at delivery");
        both("d", "the date of $b in ctime(3) form");
        none("e", "the SMTP greeting (obsolete)", "obsolete in sendmail (SmtpGreetingMessage); Postern's greeting is fixed");
        both("f", "the envelope sender address (empty for the null sender <>)");
        both("g", "the sender address relative to the recipient: the envelope sender (no sender rewriting yet), empty"
                + " for the null sender so that <$g> gives <>");
        delivery("h", "the recipient host: the route's host (smart host or mailertable), or the recipient domain when"
                + " mail goes to its MX hosts", "known once the recipient is routed");
        both("i", "the queue id");
        both("j", "the official host name: postern.hostname");
        none("k", "the UUCP node name", "UUCP is not supported");
        none("l", "the UNIX From line format (obsolete)", "local mailbox delivery only");
        both("m", "the domain part of $j (after its first dot)");
        both("n", "the name of the daemon in error messages: MAILER-DAEMON");
        none("o", "the operator characters (obsolete)", "address parsing by rewriting rules, which Postern does not have");
        both("p", "the process id of the running Postern");
        none("q", "the default sender address format (obsolete)", "write the form into the From: template instead,"
                + " as proto.m4 does ($?x$x <$g>$|$g$.)");
        both("r", "the protocol the message came in with (SMTP, ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS, …, RFC 3848)");
        both("s", "the sender's host name: the EHLO/HELO argument (printable ASCII; '(' and ')' become '?')");
        both("t", "the date of $b as YYYYMMDDHHmm in UTC");
        both("u", "the recipient: at receipt <address> when the message has exactly one recipient; at delivery the"
                + " recipient address when the transaction carries exactly one; else unset");
        both("v", "the Postern version (Postern-<version>)");
        both("w", "this host's short name: $j up to its first dot");
        delivery("x", "the sender's full name: the Full-Name: field, else the display name or comment of From:",
                "taken from the header, which is read only at delivery");
        none("z", "the recipient's home directory", "local mailbox delivery only");
        both("_", "the validated sender host: [address] ([IPv6:address]), preceded by the client's name when known");
        both("Z", "the configuration version: postern.macros.Z, by default the Postern version");
        none("addr_type", "the type of address being rewritten", "used by rewriting rulesets, which Postern does not have");
        none("alg_bits", "the maximum key length of the TLS cipher", "Java's TLS reports only the effective key"
                + " length; use ${cipher_bits}");
        both("auth_authen", "the SASL identity the client authenticated as (AUTH), xtext-encoded as sendmail does"
                + " (§6.7)");
        none("auth_author", "the AUTH= parameter of MAIL", "accepted and not kept (RFC 4954 allows it)");
        receipt("auth_type", "the SASL mechanism used (PLAIN, LOGIN)", SESSION_ONLY);
        receipt("auth_ssf", "the SASL security layer's key length: never set, PLAIN and LOGIN have none", SESSION_ONLY);
        both("bodytype", "the BODY parameter: 7BIT (also when MAIL gave none) or 8BITMIME");
        none("cert_fp", "the client certificate's fingerprint", NO_CLIENT_CERTS);
        none("cert_issuer", "the client certificate's issuer", NO_CLIENT_CERTS);
        none("cert_md5", "the client certificate's MD5 hash", NO_CLIENT_CERTS);
        none("cert_subject", "the client certificate's subject", NO_CLIENT_CERTS);
        receipt("cipher", "the TLS cipher suite of the session (STARTTLS or SMTPS)", SESSION_ONLY);
        receipt("cipher_bits", "the effective key length of the session's TLS cipher", SESSION_ONLY);
        both("client_addr", "the client's IP address; IPv6 addresses tagged IPv6:");
        none("client_connections", "open connections from the client's address",
                "used by rulesets to limit clients; postern.limits.max-sessions-per-client does that");
        delivery("client_flags", "the ClientPortOptions modifiers of the address family of the outbound connection,"
                + " space-separated with upper-case letters doubled (Modifiers=hA gives \"h AA\")",
                "known once the outbound connection is open");
        both("client_name", "the client's host name, or its bracketed address ([192.0.2.1], [IPv6:…]) when it is"
                + " not known (Postern does no reverse lookups at receipt)");
        receipt("client_port", "the client's TCP port", SESSION_ONLY);
        none("client_ptr", "the PTR name of the client's address", "Postern does no reverse lookups at receipt");
        none("client_rate", "the client's connection rate", "connection rate control is not implemented");
        none("client_resolve", "the result of the client's reverse lookup", "Postern does no reverse lookups at receipt");
        none("cn_issuer", "the CN of the client certificate's issuer", NO_CLIENT_CERTS);
        none("cn_subject", "the CN of the client certificate", NO_CLIENT_CERTS);
        none("currHeader", "the header value in a header check ruleset",
                "Postern's header checks are regular expressions on the value (postern.header-checks)");
        both("daemon_addr", "the address of the listener (DaemonPortOptions Addr) the message came in on");
        both("daemon_family", "the family of that listener: inet or inet6");
        both("daemon_flags", "that listener's modifiers, space-separated with upper-case letters doubled"
                + " (Modifiers=Ea gives \"EE a\")");
        none("daemon_info", "sendmail's daemon description (SMTP+queueing@…)", "describes sendmail's own run mode");
        both("daemon_name", "the name of that listener (DaemonPortOptions Name)");
        both("daemon_port", "the port of that listener (at receipt the port the connection arrived on)");
        none("deliveryMode", "the DeliveryMode option", "Postern always queues, then delivers in the background");
        both("dsn_envid", "the DSN ENVID parameter as received (xtext)");
        delivery("dsn_notify", "the DSN NOTIFY parameter of the only recipient of the transaction (never, success,"
                + " failure, delay, comma-separated), empty when it gave none",
                "a recipient's parameter, known for the transaction being delivered");
        both("dsn_ret", "the DSN RET parameter: hdrs, full, or empty");
        both("envid", "the same as ${dsn_envid}");
        none("hdrlen", "the length of the header in a header check ruleset", "header check rulesets are regular expressions");
        none("hdr_name", "the header name in a header check ruleset", "header check rulesets are regular expressions");
        receipt("if_addr", "the local address the connection arrived on, unless it is loopback; IPv6 tagged IPv6:",
                SESSION_ONLY);
        none("if_addr_out", "the local address of the outbound connection",
                "not exposed by the SMTP client; postern.client-ports sets it");
        receipt("if_family", "the family of ${if_addr}: inet or inet6", SESSION_ONLY);
        none("if_family_out", "the family of ${if_addr_out}", "see ${client_flags} for the family's options");
        none("if_name", "the host name of the incoming interface", "Postern does no reverse lookups; use $j");
        none("if_name_out", "the host name of the outgoing interface", "used only for EHLO (client-ports modifier h)");
        none("load_avg", "the load average", "Postern does not refuse or queue by load");
        both("mail_addr", "the address part of MAIL FROM (empty for <>)");
        both("mail_host", "the domain of MAIL FROM (unset for <> and unqualified senders)");
        none("mail_mailer", "the mailer the sender resolves to", "Postern does not route senders");
        delivery("msg_id", "the value of the message's Message-Id: field", "taken from the header, read at delivery");
        delivery("msg_size", "the message size in octets, as stored", "known once the content is stored");
        none("nbadrcpts", "the number of rejected recipients", "not kept with the message");
        both("nrcpts", "the number of accepted recipients of the message");
        delivery("ntries", "the delivery attempt: 1 for the first", "a property of the queue");
        none("opMode", "the operation mode (-b flag)", "Postern has one mode: a daemon");
        none("quarantine", "the envelope's quarantine reason",
                "Postern quarantines only corrupt spool files, which are never delivered");
        none("queue_interval", "the -q interval", "Postern schedules each message on its own (postern.queue)");
        delivery("rcpt_addr", "the recipient address when the transaction carries exactly one", "known at delivery");
        delivery("rcpt_host", "the recipient host: the same as $h", "known at delivery");
        delivery("rcpt_mailer", "the mailer of the transaction (postern.mailers)", "known at delivery");
        delivery("server_addr", "the address of the next hop of the outbound connection",
                "known once the outbound connection is open");
        delivery("server_name", "the name of the next hop of the outbound connection (MX host or route host)",
                "known once the outbound connection is open");
        both("time", "the time of $b in seconds since the epoch");
        receipt("tls_version", "the TLS version of the session (TLSv1.2, TLSv1.3)", SESSION_ONLY);
        none("total_rate", "the total connection rate", "connection rate control is not implemented");
        receipt("verify", "the client certificate verification: NOT (no certificate is requested) under TLS",
                SESSION_ONLY);
    }

    private MacroCatalog() {
    }

    /** Every documented macro, in the guide's order. */
    public static Map<String, Entry> entries() {
        return Collections.unmodifiableMap(ENTRIES);
    }

    public static Optional<Entry> find(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }

    /**
     * Checks that {@code template} uses only macros that have a value in {@code context}.
     *
     * @param userMacros the names defined in {@code postern.macros} (known everywhere)
     * @param property   the property to name in the failure, e.g. {@code postern.headers[2]}
     * @throws IllegalArgumentException naming the property, the macro and why it cannot be used
     */
    public static void check(MacroTemplate template, Context context, Set<String> userMacros, String property) {
        for (String name : template.macroNames()) {
            check(name, context, userMacros, property);
        }
    }

    /** {@link #check(MacroTemplate, Context, Set, String)} for one macro name. */
    public static void check(String name, Context context, Set<String> userMacros, String property) {
        if (userMacros.contains(name)) {
            return;
        }
        Entry entry = ENTRIES.get(name);
        String shown = MacroNames.display(name);
        if (entry == null) {
            throw new IllegalArgumentException(property + ": unknown macro " + shown
                    + " (not a sendmail macro Postern knows, nor defined in postern.macros)");
        }
        if (entry.availability() == Availability.NONE) {
            throw new IllegalArgumentException(property + ": macro " + shown + " is not provided by Postern: "
                    + entry.why());
        }
        if (!entry.availability().covers(context)) {
            throw new IllegalArgumentException(property + ": macro " + shown + " has no value "
                    + context.description() + " (" + entry.why() + ")");
        }
    }
}
