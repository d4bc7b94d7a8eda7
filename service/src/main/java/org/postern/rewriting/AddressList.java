package org.postern.rewriting;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.postern.smtp.MailAddress;

/**
 * Finds the addr-specs in the body of an address header field (RFC 5322 §3.4 {@code address-list},
 * with the obsolete forms of §4.4 that real mail still carries: phrases with dots, source routes,
 * empty list elements, CFWS between tokens) and replaces those a rewriter changes. Every other
 * character stays as it was: display names, comments, quoting, folding and group syntax.
 *
 * <p>A body that does not parse is returned unchanged, whole: rewriting an address header must
 * never corrupt it. An unqualified address (a lone local part, as sendmail accepts) is offered to
 * the rewriter with a null domain; an empty angle address {@code <>} is left alone.
 */
final class AddressList {

    private enum Kind { ATOM, QUOTED, DOMAIN_LITERAL, SPECIAL }

    /** A token of the body; whitespace and comments are the gaps between tokens. */
    private record Token(Kind kind, int start, int end, char special) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && special == c;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED;
        }
    }

    /** One addr-spec found: where it is in the body, and what it says. */
    private record Found(int start, int end, MailAddress address) {
    }

    private final String body;
    private final List<Token> tokens;
    private final List<Found> found = new ArrayList<>();
    private int p;

    private AddressList(String body, List<Token> tokens) {
        this.body = body;
        this.tokens = tokens;
    }

    /**
     * The body with each addr-spec replaced by what {@code rewriter} makes of it; the same instance
     * when nothing changed or the body does not parse (or the rewriter fails).
     */
    static String rewrite(String body, UnaryOperator<MailAddress> rewriter) {
        AddressList list = parse(body);
        if (list == null) {
            return body;
        }
        StringBuilder out = null;
        int copied = 0;
        for (Found f : list.found) {
            MailAddress rewritten;
            try {
                rewritten = rewriter.apply(f.address());
            } catch (RuntimeException e) {
                return body;
            }
            if (rewritten == null || rewritten.equals(f.address())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(body.length() + 32);
            }
            out.append(body, copied, f.start()).append(rewritten);
            copied = f.end();
        }
        if (out == null) {
            return body;
        }
        return out.append(body, copied, body.length()).toString();
    }

    /** The addresses in {@code body}, in order; empty when it does not parse. For tests and logs. */
    static List<MailAddress> addresses(String body) {
        AddressList list = parse(body);
        return list == null ? List.of() : list.found.stream().map(Found::address).toList();
    }

    private static AddressList parse(String body) {
        List<Token> tokens = tokenize(body);
        if (tokens == null) {
            return null;
        }
        AddressList list = new AddressList(body, tokens);
        return list.addressList() ? list : null;
    }

    // address-list = (address *("," address)) / obs-addr-list (empty elements allowed)
    private boolean addressList() {
        while (p < tokens.size()) {
            if (peek(',')) {
                p++;
                continue;
            }
            if (!address()) {
                return false;
            }
            if (p < tokens.size()) {
                if (!peek(',')) {
                    return false;
                }
                p++;
            }
        }
        return true;
    }

    // address = mailbox / group; group = display-name ":" [group-list] ";" [CFWS]
    private boolean address() {
        int q = nextOf("<:,;");
        if (q < tokens.size() && tokens.get(q).is(':')) {
            if (!phrase(p, q)) {
                return false;
            }
            p = q + 1;
            while (p < tokens.size() && !peek(';')) {
                if (peek(',')) {
                    p++;
                    continue;
                }
                if (!mailbox()) {
                    return false;
                }
                if (p < tokens.size() && !peek(',') && !peek(';')) {
                    return false;
                }
            }
            if (p == tokens.size()) {
                return false; // a group without its ';'
            }
            p++;
            return true;
        }
        return mailbox();
    }

    // mailbox = name-addr / addr-spec; name-addr = [display-name] "<" [obs-route] addr-spec ">"
    private boolean mailbox() {
        int q = nextOf("<:,;");
        if (q < tokens.size() && tokens.get(q).is('<')) {
            if (q > p && !phrase(p, q)) {
                return false;
            }
            p = q + 1;
            if (peek('>')) { // <>: the null address, nothing to rewrite
                p++;
                return true;
            }
            if (peek('@') && !obsRoute()) {
                return false;
            }
            if (!addrSpec() || !peek('>')) {
                return false;
            }
            p++;
            return true;
        }
        return addrSpec();
    }

    // obs-route = obs-domain-list ":"; obs-domain-list = *(CFWS / ",") "@" domain *("," [CFWS] ["@" domain])
    private boolean obsRoute() {
        while (p < tokens.size()) {
            if (peek(',')) {
                p++;
            } else if (peek('@')) {
                p++;
                if (domain() == null) {
                    return false;
                }
            } else {
                break;
            }
        }
        if (!peek(':')) {
            return false;
        }
        p++;
        return true;
    }

    // addr-spec = local-part ["@" domain]; the domain is optional for sendmail's unqualified addresses
    private boolean addrSpec() {
        if (p >= tokens.size() || !tokens.get(p).isWord()) {
            return false;
        }
        int start = tokens.get(p).start();
        StringBuilder local = new StringBuilder(word(tokens.get(p++)));
        while (peek('.')) {
            p++;
            if (p >= tokens.size() || !tokens.get(p).isWord()) {
                return false;
            }
            local.append('.').append(word(tokens.get(p++)));
        }
        String domain = null;
        if (peek('@')) {
            p++;
            domain = domain();
            if (domain == null) {
                return false;
            }
        }
        found.add(new Found(start, tokens.get(p - 1).end(), new MailAddress(local.toString(), domain)));
        return true;
    }

    // domain = dot-atom / domain-literal (/ obs-domain: atoms with CFWS between)
    private String domain() {
        if (p >= tokens.size()) {
            return null;
        }
        Token t = tokens.get(p);
        if (t.kind() == Kind.DOMAIN_LITERAL) {
            p++;
            return text(t);
        }
        if (t.kind() != Kind.ATOM) {
            return null;
        }
        StringBuilder d = new StringBuilder(text(t));
        p++;
        while (peek('.')) {
            p++;
            if (p >= tokens.size() || tokens.get(p).kind() != Kind.ATOM) {
                return null;
            }
            d.append('.').append(text(tokens.get(p++)));
        }
        return d.toString();
    }

    /** phrase = 1*word, with obs-phrase's dots: a display name or a group name. */
    private boolean phrase(int from, int to) {
        if (from >= to || !tokens.get(from).isWord()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (!t.isWord() && !t.is('.')) {
                return false;
            }
        }
        return true;
    }

    /** The index of the next token from {@code p} that is one of {@code specials}, or the size. */
    private int nextOf(String specials) {
        int q = p;
        while (q < tokens.size()) {
            Token t = tokens.get(q);
            if (t.kind() == Kind.SPECIAL && specials.indexOf(t.special()) >= 0) {
                return q;
            }
            q++;
        }
        return q;
    }

    private boolean peek(char special) {
        return p < tokens.size() && tokens.get(p).is(special);
    }

    private String text(Token t) {
        return body.substring(t.start(), t.end());
    }

    /** An atom as is; a quoted string with its quotes, unfolded (RFC 5322 §3.2.4). */
    private String word(Token t) {
        String s = text(t);
        return t.kind() == Kind.QUOTED ? s.replace("\r", "").replace("\n", "") : s;
    }

    /** The tokens of {@code s}, or null when it holds something no address list has. */
    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                i = endOfComment(s, i);
                if (i < 0) {
                    return null;
                }
            } else if (c == '"') {
                int end = endOf(s, i, '"');
                if (end < 0) {
                    return null;
                }
                tokens.add(new Token(Kind.QUOTED, i, end, '\0'));
                i = end;
            } else if (c == '[') {
                int end = endOf(s, i, ']');
                if (end < 0) {
                    return null;
                }
                tokens.add(new Token(Kind.DOMAIN_LITERAL, i, end, '\0'));
                i = end;
            } else if ("<>@,;:.".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, i, i + 1, c));
                i++;
            } else if (isAtext(c)) {
                int start = i;
                while (i < n && isAtext(s.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.ATOM, start, i, '\0'));
            } else {
                return null; // ')', ']', '\', a control character: not an address list
            }
        }
        return tokens;
    }

    /** Just past the comment opening at {@code i} (comments nest; quoted pairs escape), or -1. */
    private static int endOfComment(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Just past the {@code close} that ends the quoted string or literal opening at {@code i}, or -1. */
    private static int endOf(String s, int i, char close) {
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == close) {
                return i + 1;
            } else if (close == ']' && c == '[') {
                return -1;
            }
        }
        return -1;
    }

    /** RFC 5322 atext, and any non-ASCII character but whitespace (RFC 6532). */
    private static boolean isAtext(char c) {
        if (c > 127) {
            return !Character.isWhitespace(c) && !Character.isISOControl(c);
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }
}
