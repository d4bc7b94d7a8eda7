package org.postern.smtp.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.postern.smtp.Replies;

/**
 * AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms. Offered only under TLS unless
 * {@code postern.auth.allow-without-tls}; a failed attempt counts as a session error and against
 * the client address ({@code postern.auth.max-failures}): a client over that limit gets 454 4.7.0
 * before any credentials are read or checked.
 */
final class AuthCommand implements Command {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuthCommand.class);
    private static final String USERNAME_PROMPT = "VXNlcm5hbWU6"; // "Username:"
    private static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6"; // "Password:"

    @Override
    public void execute(SmtpSession session, String argument) throws IOException {
        if (!session.authOffered()) {
            boolean tlsWouldHelp = session.context.authenticator().hasUsers() && !session.tlsActive()
                    && session.startTlsOffered();
            session.reply(tlsWouldHelp ? Replies.ENCRYPTION_REQUIRED_FOR_AUTH : Replies.NOT_IMPLEMENTED);
            return;
        }
        if (session.heloName == null || !session.esmtp) {
            session.reply(Replies.HELO_FIRST.withText("Send EHLO first"));
            return;
        }
        if (session.authenticatedAs != null) {
            session.reply(Replies.ALREADY_AUTHENTICATED);
            return;
        }
        if (session.transaction != null) {
            session.reply(Replies.AUTH_NOT_DURING_MAIL);
            return;
        }
        if (!session.context.authFailures().mayAttempt(session.clientAddress)) {
            session.reply(Replies.AUTH_TOO_MANY_FAILURES);
            return;
        }
        String[] words = argument.strip().split(" +");
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        String initial = words.length > 1 ? words[1] : null;
        if (words.length > 2) {
            session.reply(Replies.PARAMETER_SYNTAX);
            return;
        }
        switch (mechanism) {
            case "PLAIN" -> plain(session, initial);
            case "LOGIN" -> login(session, initial);
            default -> session.reply(Replies.UNKNOWN_AUTH_MECHANISM);
        }
        if (session.authenticatedAs != null) {
            session.authMechanism = mechanism;
        }
    }

    private void plain(SmtpSession session, String initial) throws IOException {
        String response = initial;
        if (response == null) {
            session.continuation("");
            response = session.readContinuation();
        }
        byte[] decoded = decode(session, response);
        if (decoded == null) {
            return;
        }
        // authzid NUL authcid NUL passwd
        String text = new String(decoded, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        if (parts.length != 3) {
            session.reply(Replies.AUTH_INVALID_BASE64);
            return;
        }
        verify(session, parts[0], parts[1], parts[2]);
    }

    private void login(SmtpSession session, String initial) throws IOException {
        String userResponse = initial;
        if (userResponse == null) {
            session.continuation(USERNAME_PROMPT);
            userResponse = session.readContinuation();
        }
        byte[] user = decode(session, userResponse);
        if (user == null) {
            return;
        }
        session.continuation(PASSWORD_PROMPT);
        byte[] password = decode(session, session.readContinuation());
        if (password == null) {
            return;
        }
        verify(session, "", new String(user, StandardCharsets.UTF_8), new String(password, StandardCharsets.UTF_8));
    }

    /** Decodes a client response; replies and returns null on "*" (cancel) or bad base64. */
    private static byte[] decode(SmtpSession session, String response) throws IOException {
        if (response == null) {
            session.reply(Replies.AUTH_INVALID_BASE64);
            return null;
        }
        if (response.equals("*")) {
            session.reply(Replies.AUTH_CANCELLED);
            return null;
        }
        if (response.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(response.strip());
        } catch (IllegalArgumentException e) {
            session.reply(Replies.AUTH_INVALID_BASE64);
            return null;
        }
    }

    private static void verify(SmtpSession session, String authzid, String user, String password) throws IOException {
        if (session.context.authenticator().authenticate(authzid, user, password)) {
            session.authenticatedAs = user;
            session.reply(Replies.AUTH_OK);
        } else {
            // The user name and password stay out of the log: a mistyped password is often another's.
            log.info("{}: AUTH failed from [{}]", session.daemonPort.name(), session.clientAddress.getHostAddress());
            var limiter = session.context.authFailures();
            if (limiter.recordFailure(session.clientAddress)) {
                log.warn("{}: [{}] reached {} AUTH failures within {}: AUTH refused from that address until they expire",
                        session.daemonPort.name(), session.clientAddress.getHostAddress(), limiter.maxFailures(),
                        limiter.window());
            }
            session.reply(Replies.AUTH_FAILED);
        }
    }
}
