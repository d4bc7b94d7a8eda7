package org.postern.config;

import org.postern.mailer.MailerDefinition;
import org.postern.mailer.MailerType;
import org.postern.mailer.Mailers;
import org.postern.mailer.RewritingRef;

/**
 * Turns {@code postern.mailers.<name>} into a {@link MailerDefinition}: the whole {@code M} line
 * parsed by {@link MailerLineParser}, or the fields given over the built-in mailer of that name
 * (sendmail's defaults for a new one). Every error names the property and the reason.
 */
public final class MailerDefinitions {

    private MailerDefinitions() {
    }

    /**
     * @param name the key under {@code postern.mailers}
     * @param base the built-in mailer of that name, or null
     * @throws IllegalArgumentException naming {@code postern.mailers.<name>[.field]} and the reason
     */
    public static MailerDefinition resolve(String name, MailerDefinition base, MailerProperties p) {
        String where = "postern.mailers." + name;
        if (Mailers.RESERVED.contains(name)) {
            throw new IllegalArgumentException(where + ": '" + name + "' is a special mailer and cannot be defined");
        }
        if (p.line() != null) {
            return fromLine(name, where, p);
        }
        rejectField(where, "directory", p.directory(), 'D');
        rejectField(where, "userid", p.userid(), 'U');
        rejectField(where, "nice", p.nice(), 'N');
        rejectField(where, "root", p.root(), '/');
        rejectField(where, "queuegroup", p.queuegroup(), 'Q');
        MailerDefinition.Builder b = base != null ? base.toBuilder() : MailerDefinition.builder(name);
        try {
            if (p.path() != null) {
                b.protocol(field(where, "path", () -> MailerLineParser.protocol(p.path())));
            }
            if (p.argv() != null) {
                b.port(field(where, "argv", () -> MailerLineParser.argvPort(p.argv())));
            }
            if (p.port() != null) {
                b.port(p.port()); // the explicit field wins over a port inside argv
            }
            if (p.flags() != null) {
                b.flags(p.flags());
            }
            if (p.sender() != null) {
                b.senderRewriting(field(where, "sender", () -> RewritingRef.parse(p.sender())));
            }
            if (p.recipient() != null) {
                b.recipientRewriting(field(where, "recipient", () -> RewritingRef.parse(p.recipient())));
            }
            if (p.eol() != null) {
                b.eol(MailerLineParser.eol(p.eol()));
            }
            if (p.maxsize() != null) {
                b.maxSize(p.maxsize().toBytes());
            }
            if (p.maxmessages() != null) {
                b.maxMessages(p.maxmessages());
            }
            if (p.recipients() != null) {
                b.recipients(p.recipients());
            }
            if (p.linelimit() != null) {
                b.lineLimit(p.linelimit());
            }
            if (p.type() != null) {
                b.type(field(where, "type", () -> MailerType.parse(p.type())));
            }
            if (p.waitTime() != null) {
                b.waitTime(p.waitTime());
            }
            if (p.charset() != null) {
                b.charset(p.charset().isBlank() ? null : p.charset());
            }
            return b.build();
        } catch (FieldException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static MailerDefinition fromLine(String name, String where, MailerProperties p) {
        if (p.path() != null || p.flags() != null || p.sender() != null || p.recipient() != null || p.argv() != null
                || p.eol() != null || p.maxmessages() != null || p.recipients() != null || p.maxsize() != null
                || p.linelimit() != null || p.type() != null || p.waitTime() != null || p.charset() != null
                || p.port() != null || p.directory() != null || p.userid() != null || p.nice() != null
                || p.root() != null || p.queuegroup() != null) {
            throw new IllegalArgumentException(where + ": give either the whole M line or its fields, not both");
        }
        MailerDefinition d;
        try {
            d = MailerLineParser.parse(p.line());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        // Keys may be relaxed by Spring (an environment variable is upper case), so case is not compared.
        if (!d.name().equalsIgnoreCase(name)) {
            throw new IllegalArgumentException(where + ": the M line defines mailer '" + d.name()
                    + "'; the name in the line must be the key, '" + name + "'");
        }
        return d.name().equals(name) ? d : d.withName(name);
    }

    private static void rejectField(String where, String field, String value, char code) {
        if (value != null) {
            throw new IllegalArgumentException(where + "." + field + ": " + MailerLineParser.REJECTED_FIELDS.get(code));
        }
    }

    private static <T> T field(String where, String field, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new FieldException(where + "." + field + ": " + e.getMessage(), e);
        }
    }

    /** An error already named with its field. */
    private static final class FieldException extends IllegalArgumentException {
        FieldException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
