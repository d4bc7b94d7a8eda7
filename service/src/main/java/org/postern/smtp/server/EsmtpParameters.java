package org.postern.smtp.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.postern.smtp.AddressException;
import org.postern.smtp.MailAddress;

/**
 * The argument of MAIL FROM: or RCPT TO:, split into the path and its {@code KEYWORD[=value]}
 * parameters (RFC 5321 §4.1.2). Keywords are upper-cased; a repeated keyword is a syntax error.
 */
record EsmtpParameters(String path, Map<String, String> parameters) {

    /** Thrown for syntax errors in the argument, before any address is looked at. */
    static final class SyntaxException extends Exception {
        SyntaxException(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * @param argument the text after the verb, e.g. {@code FROM:<a@b> SIZE=10}
     * @param prefix   {@code FROM:} or {@code TO:}
     */
    static EsmtpParameters parse(String argument, String prefix) throws SyntaxException {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new SyntaxException("expected " + prefix);
        }
        String rest = argument.substring(prefix.length()).stripLeading(); // tolerate "FROM: <a@b>"
        if (rest.isEmpty() || rest.charAt(0) != '<') {
            throw new SyntaxException("path must be in angle brackets");
        }
        int end = pathEnd(rest);
        String path = rest.substring(0, end + 1);
        Map<String, String> params = new LinkedHashMap<>();
        String tail = rest.substring(end + 1);
        if (!tail.isEmpty() && tail.charAt(0) != ' ') {
            throw new SyntaxException("garbage after path");
        }
        for (String token : tail.trim().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (key.isEmpty() || !key.matches("[A-Z0-9][A-Z0-9-]*") || (value != null && value.isEmpty())) {
                throw new SyntaxException("malformed parameter");
            }
            if (params.containsKey(key)) {
                throw new SyntaxException("repeated parameter " + key);
            }
            params.put(key, value);
        }
        return new EsmtpParameters(path, params);
    }

    /** Index of the '>' closing the path, skipping quoted strings in the local part. */
    private static int pathEnd(String s) throws SyntaxException {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw new SyntaxException("unterminated path");
    }

    boolean has(String key) {
        return parameters.containsKey(key);
    }

    String get(String key) {
        return parameters.get(key);
    }

    MailAddress address(boolean utf8) throws AddressException {
        return MailAddress.parsePath(path, utf8);
    }
}
