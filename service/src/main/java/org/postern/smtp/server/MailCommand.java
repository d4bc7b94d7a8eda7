package org.postern.smtp.server;

import java.io.IOException;
import org.postern.config.DaemonModifiers;
import org.postern.smtp.AddressException;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Replies;
import org.postern.smtp.Xtext;

/**
 * MAIL FROM (RFC 5321 §4.1.1.2) with the parameters of the advertised extensions: SIZE (RFC 1870),
 * BODY (RFC 6152), SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461) and AUTH (RFC 4954).
 */
final class MailCommand implements Command {
    private static final int MAX_ENVID = 100;

    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        if (session.heloName == null) {
            session.reply(Replies.HELO_FIRST);
            return;
        }
        if (session.transaction != null) {
            session.reply(Replies.NESTED_MAIL);
            return;
        }
        if (session.messageLimitReached()) {
            session.closeWith(Replies.TOO_MANY_MESSAGES);
            return;
        }
        if (session.authRequired() && session.authenticatedAs == null) {
            session.reply(Replies.AUTH_REQUIRED);
            return;
        }
        EsmtpParameters args;
        try {
            args = EsmtpParameters.parse(argument, "FROM:");
        } catch (EsmtpParameters.SyntaxException e) {
            session.reply(Replies.BAD_SENDER_SYNTAX);
            return;
        }
        BodyType body = BodyType.SEVEN_BIT;
        DsnReturn ret = null;
        String envId = null;
        boolean utf8 = false;
        for (var p : args.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> {
                    if (value == null || !value.matches("\\d{1,18}")) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                    if (Long.parseLong(value) > session.settings.maxMessageSize()) {
                        session.reply(Replies.MESSAGE_TOO_BIG);
                        return;
                    }
                }
                case "BODY" -> {
                    body = value == null ? null : BodyType.fromKeyword(value);
                    if (body == null) {
                        session.reply(Replies.PARAMETER_NOT_RECOGNIZED);
                        return;
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                    utf8 = true;
                }
                case "RET" -> {
                    ret = value == null ? null : switch (value.toUpperCase(java.util.Locale.ROOT)) {
                        case "FULL" -> DsnReturn.FULL;
                        case "HDRS" -> DsnReturn.HDRS;
                        default -> null;
                    };
                    if (ret == null) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                }
                case "ENVID" -> {
                    if (value == null || value.length() > MAX_ENVID || !Xtext.isValid(value)) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                    envId = value;
                }
                case "AUTH" -> {
                    // RFC 4954 §5: the original submitter; accepted and not passed on, as the RFC allows.
                    if (value == null || !Xtext.isValid(value)) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return;
                    }
                }
                default -> {
                    session.reply(Replies.PARAMETER_NOT_RECOGNIZED);
                    return;
                }
            }
        }
        MailAddress sender;
        try {
            sender = args.address(utf8);
        } catch (AddressException e) {
            session.reply(e.needsSmtpUtf8() ? Replies.SMTPUTF8_REQUIRED : Replies.BAD_SENDER_SYNTAX);
            return;
        }
        if (!sender.isNullSender() && !sender.isQualified()
                && !session.daemonPort.has(DaemonModifiers.ALLOW_UNQUALIFIED)) {
            session.reply(Replies.UNQUALIFIED_ADDRESS);
            return;
        }
        session.transaction = new Transaction(sender, body, utf8, ret, envId);
        session.reply(Replies.SENDER_OK);
    }
}
