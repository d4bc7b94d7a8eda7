package org.postern.mailer;

import java.util.Map;
import java.util.TreeMap;

/**
 * What Postern does with each mailer flag of the sendmail operations guide ({@code F=}), in one
 * place: a flag is implemented, kept for header rules, accepted with no effect (and why), or
 * rejected (and why). A letter the guide does not define is rejected as unknown: a typo in
 * {@code F=} must not pass unnoticed. {@code docs/sendmail-mapping.md} lists the same decisions.
 */
public final class MailerFlags {

    /** How Postern treats one flag. */
    public enum Status {
        /** Changes delivery; see the reason for what it does. */
        IMPLEMENTED,
        /** Used by header rules ({@code H?D?Date: $a}); no effect on its own. */
        HEADER,
        /** Accepted, with no effect; the reason says why that is faithful. */
        NO_EFFECT,
        /** Fails startup; the reason says why. */
        REJECTED
    }

    /** A flag's status and the reason shown to the administrator. */
    public record Treatment(Status status, String reason) {
    }

    private static final Map<Character, Treatment> FLAGS = new TreeMap<>();

    static {
        implemented('a', "EHLO even when the greeting does not say ESMTP");
        implemented('b', "a blank line is ensured at the end of the message");
        header('c', "addresses in headers lose their comments (header rules)");
        noEffect('d', "angle brackets are required around SMTP paths (RFC 5321 §4.1.2); sendmail, too,"
                + " drops them only for a $u argument of a program mailer");
        header('D', "header rules: this mailer wants a Date: header");
        implemented('e', "expensive: not attempted on receipt, first attempt at the first retry time");
        implemented('E', "body lines beginning with \"From \" are sent as \">From \"");
        header('F', "header rules: this mailer wants a From: header");
        implemented('g', "the null sender is sent as MAILER-DAEMON@$j");
        implemented('h', "host part of recipients keeps its case; without h it is lower-cased");
        implemented('k', "no check that the next hop greets with our own host name");
        noEffect('K', "reserved for CHUNKING in sendmail and unimplemented there too");
        implemented('L', "L= defaults to 990 (RFC 821 line limits)");
        implemented('m', "several recipients per transaction, up to r=");
        header('M', "header rules: this mailer wants a Message-Id: header");
        noEffect('n', "no UNIX From_ line is ever sent over SMTP or LMTP, as in sendmail");
        implemented('p', "MAIL FROM carries the route-address <@$j:sender>");
        header('P', "header rules: this mailer wants a Return-Path: header");
        implemented('q', "VRFY of an address routed to this mailer answers 250 instead of 252");
        implemented('s', "quotes are stripped from the local part of recipients");
        implemented('B', "a leading backslash is stripped from the local part of recipients");
        implemented('u', "user part of recipients keeps its case; without u it is lower-cased");
        noEffect('W', "Postern keeps no long-term host status (sendmail's HostStatusDirectory) to ignore");
        header('x', "header rules: this mailer wants a Full-Name: header");
        implemented('X', "dot-stuffing (RFC 5321 §4.5.2); always done, with or without X");
        implemented('z', "LMTP (RFC 2033) over TCP");
        noEffect('Z', "Postern has no DialDelay option, so there is no delay to apply (as sendmail without it)");
        implemented('0', "no MX lookup: the host's A/AAAA records only");
        implemented('1', "NUL characters are removed from the message");
        implemented('2', "HELO even when ESMTP is offered");
        implemented('3', "8->7 quoted-printable also encodes the characters that differ in EBCDIC");
        implemented('6', "headers are stripped to 7 bits");
        implemented('7', "all output is stripped to 7 bits");
        implemented('8', "8-bit data is sent as is, no 8->7 conversion");
        implemented('9', "7->8: a quoted-printable text/plain body is decoded when the next hop offers 8BITMIME");
        implemented('%', "held: not attempted on receipt, first attempt at the first retry time or a flush");
        noEffect('!', "Postern never drops an explicit From: header, so there is no MH hack to disable");
        rejected('A', "alias lookup is local delivery; Postern has no alias database");
        rejected('C', "applies to the mailer mail was received from; Postern receives over SMTP only and has"
                + " no sender mailers");
        rejected('f', "passes -f to a program mailer; Postern runs no programs");
        rejected('i', "user database (UDB) rewriting of the sender; Postern has no user database");
        rejected('I', "deprecated in sendmail: speaks VERB to another sendmail, for debugging");
        rejected('j', "user database (UDB) rewriting of recipients; Postern has no user database");
        rejected('l', "local delivery; Postern is a network relay");
        rejected('o', "runs a program mailer as the recipient; Postern runs no programs");
        rejected('r', "passes -r to a program mailer; Postern runs no programs");
        rejected('R', "a reserved source port needs root; use postern.client-ports[].port for a fixed one");
        rejected('S', "sets the user id of a program mailer; Postern runs no programs");
        rejected('U', "UUCP From_ lines with \"remote from\"; Postern does not speak UUCP");
        rejected('w', "checks /etc/passwd for local delivery; Postern is a network relay");
        rejected('5', "ruleset 5 after local aliasing; Postern does no local aliasing");
        rejected(':', ":include: files are local delivery");
        rejected('|', "|program addresses are local delivery");
        rejected('/', "/file addresses are local delivery");
        rejected('@', "user database lookup; Postern has no user database");
    }

    private MailerFlags() {
    }

    /** The treatment of {@code flag}, or null when the operations guide defines no such flag. */
    public static Treatment treatment(char flag) {
        return FLAGS.get(flag);
    }

    /** Every flag the operations guide defines, in code-point order. */
    public static Map<Character, Treatment> all() {
        return java.util.Collections.unmodifiableMap(FLAGS);
    }

    /**
     * Normalises {@code F=}: whitespace is dropped (as sendmail does) and repeats are removed.
     *
     * @throws IllegalArgumentException naming the first unknown or rejected flag and the reason
     */
    public static String check(String flags) {
        if (flags == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(flags.length());
        for (int i = 0; i < flags.length(); i++) {
            char c = flags.charAt(i);
            if (Character.isWhitespace(c) || out.indexOf(String.valueOf(c)) >= 0) {
                continue;
            }
            Treatment t = FLAGS.get(c);
            if (t == null) {
                throw new IllegalArgumentException("unknown mailer flag '" + c + "' (the sendmail operations guide"
                        + " defines no such flag; header rules can only test defined ones)");
            }
            if (t.status() == Status.REJECTED) {
                throw new IllegalArgumentException("mailer flag '" + c + "' is not supported: " + t.reason());
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void implemented(char c, String reason) {
        FLAGS.put(c, new Treatment(Status.IMPLEMENTED, reason));
    }

    private static void header(char c, String reason) {
        FLAGS.put(c, new Treatment(Status.HEADER, reason));
    }

    private static void noEffect(char c, String reason) {
        FLAGS.put(c, new Treatment(Status.NO_EFFECT, reason));
    }

    private static void rejected(char c, String reason) {
        FLAGS.put(c, new Treatment(Status.REJECTED, reason));
    }
}
