package org.postern.smtp.server;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.postern.config.DaemonModifiers;
import org.postern.smtp.AddressException;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;
import org.postern.smtp.Replies;
import org.postern.smtp.Xtext;

/** RCPT TO (RFC 5321 §4.1.1.3) with NOTIFY and ORCPT (RFC 3461); the relay decision is made here. */
final class RcptCommand implements Command {
    private static final int MAX_ORCPT = 500;

    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        Transaction tx = session.transaction;
        if (tx == null) {
            session.reply(Replies.MAIL_FIRST);
            return;
        }
        if (tx.chunking()) {
            session.reply(Replies.BAD_SEQUENCE);
            return;
        }
        EsmtpParameters args;
        try {
            args = EsmtpParameters.parse(argument, "TO:");
        } catch (EsmtpParameters.SyntaxException e) {
            session.reply(Replies.BAD_RECIPIENT_SYNTAX);
            return;
        }
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        String orcpt = null;
        for (var p : args.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "NOTIFY" -> {
                    if (value == null || !parseNotify(value, notify)) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                }
                case "ORCPT" -> {
                    int semi = value == null ? -1 : value.indexOf(';');
                    if (semi < 1 || value.length() > MAX_ORCPT || !value.substring(0, semi).matches("[A-Za-z0-9-]+")
                            || !Xtext.isValid(value.substring(semi + 1))) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                    orcpt = value;
                }
                default -> {
                    session.reply(Replies.PARAMETER_NOT_RECOGNIZED);
                    return;
                }
            }
        }
        MailAddress address;
        try {
            address = args.address(tx.smtpUtf8);
        } catch (AddressException e) {
            session.reply(e.needsSmtpUtf8() ? Replies.SMTPUTF8_REQUIRED : Replies.BAD_RECIPIENT_SYNTAX);
            return;
        }
        if (address.isNullSender()) {
            session.reply(Replies.BAD_RECIPIENT_SYNTAX);
            return;
        }
        if (!address.isQualified() && !session.daemonPort.has(DaemonModifiers.ALLOW_UNQUALIFIED)) {
            session.reply(Replies.UNQUALIFIED_ADDRESS);
            return;
        }
        if (!session.context.relayPolicy().mayRelay(session.clientAddress, session.authenticatedAs != null)) {
            session.reply(Replies.RELAY_DENIED);
            return;
        }
        if (tx.recipients.size() >= session.settings.maxRecipients()) {
            // RFC 5321 §4.5.3.1.10: the client sends these in another transaction. Like Postfix's
            // smtpd_recipient_overshoot_limit, as many again as the limit are no error, so a client
            // that pipelined a long list is not disconnected (losing the whole message) for it;
            // past that, each one counts towards max-errors.
            if (++tx.excessRecipients <= session.settings.maxRecipients()) {
                session.replyWithoutError(Replies.TOO_MANY_RECIPIENTS);
            } else {
                session.reply(Replies.TOO_MANY_RECIPIENTS);
            }
            return;
        }
        tx.recipients.add(new Recipient(address, notify, orcpt));
        session.reply(Replies.RECIPIENT_OK);
    }

    /** NEVER alone, or any of SUCCESS, FAILURE, DELAY. */
    private static boolean parseNotify(String value, Set<DsnNotify> into) {
        for (String part : value.toUpperCase(Locale.ROOT).split(",", -1)) {
            try {
                into.add(DsnNotify.valueOf(part));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return !(into.contains(DsnNotify.NEVER) && into.size() > 1);
    }
}
