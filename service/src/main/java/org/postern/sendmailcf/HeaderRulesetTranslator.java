package org.postern.sendmailcf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a header check rule set ({@code HSubject: $>CheckSubject} and its {@code SCheckSubject}
 * rules) into Postern's header checks: ordered regular expressions with an action. Only rule sets
 * whose logic is pattern matching translate: each rule's left-hand side made of literal tokens and
 * the wildcards {@code $*} (zero or more tokens), {@code $+} (one or more) and {@code $-} (exactly
 * one), and each right-hand side a verdict: {@code $#error ... $: text} (reject),
 * {@code $#discard} (discard) or {@code $@ ...} (the header passes). Anything else — classes
 * ({@code $=}, {@code $~}), maps ({@code $(}), macros, rewriting that continues ({@code $:} or a
 * plain right-hand side), calls to other rule sets — depends on state Postern does not have, and the
 * rule set is reported instead, with the construct that stopped it.
 *
 * <p>Tokens are matched as sendmail's rules match them: a literal word matches a whole token
 * without regard to case (so {@code viagra} does not match inside {@code viagras}); operator
 * characters ({@code O OperatorChars} and sendmail's fixed {@code ()<>,;}) are tokens of their own;
 * white space between tokens does not matter. Quoted strings are not treated as single tokens.
 */
public final class HeaderRulesetTranslator {

    /** sendmail's delimiters that are tokens whatever OperatorChars says. */
    private static final String FIXED_OPERATORS = "()<>,;";
    /** OperatorChars as proto.m4 sets it, when the cf does not say. */
    public static final String DEFAULT_OPERATORS = ".:%@!^/[]+";
    private static final Pattern REPLY = Pattern.compile("^([245][0-9][0-9])(?:[ \\t]+([245]\\.[0-9]{1,3}\\.[0-9]{1,3}))?"
            + "(?:[ \\t]+|$)(.*)$", Pattern.DOTALL);
    private static final Pattern STATUS = Pattern.compile("^[245]\\.[0-9]{1,3}\\.[0-9]{1,3}$");

    /** One translated rule: a regular expression searched for in the value, and what to do. */
    public record Check(String regex, String action, String text, CfLine rule) {
    }

    /** The outcome: the checks, or why the rule set cannot be translated (and which rule stopped it). */
    public record Translation(List<Check> checks, String failure, List<String> notes) {

        public boolean translated() {
            return failure == null;
        }
    }

    private final String operators;
    private final String wordChar;
    private final String token;

    /** @param operatorChars the cf's {@code O OperatorChars} value, or null for proto.m4's */
    public HeaderRulesetTranslator(String operatorChars) {
        this.operators = (operatorChars == null ? DEFAULT_OPERATORS : operatorChars) + FIXED_OPERATORS;
        String ops = charClassBody(operators);
        this.wordChar = "[^\\s" + ops + "]";
        this.token = "(?:[" + ops + "]|(?<!" + wordChar + ")" + wordChar + "+(?!" + wordChar + "))";
    }

    public Translation translate(CfRuleset ruleset) {
        List<Check> checks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (ruleset.rules().isEmpty()) {
            return new Translation(List.of(), "the rule set has no rules", List.of());
        }
        for (CfLine rule : ruleset.rules()) {
            String[] parts = split(rule);
            String lhs = parts[0];
            String rhs = parts[1];
            String regex;
            try {
                regex = regex(lhs);
            } catch (IllegalArgumentException e) {
                return new Translation(List.of(), "line " + rule.number() + ": " + e.getMessage(), List.of());
            }
            String action;
            String text = null;
            if (rhs.startsWith("$#")) {
                String mailer = rhs.substring(2).strip().split("[\\s$]", 2)[0].toLowerCase(Locale.ROOT);
                if (mailer.equals("error")) {
                    action = "reject";
                    text = errorText(rhs, rule, notes);
                } else if (mailer.equals("discard")) {
                    action = "discard";
                } else {
                    return new Translation(List.of(), "line " + rule.number() + ": resolves to mailer '" + mailer
                            + "'; a header check can only reject ($#error), discard ($#discard) or accept ($@)",
                            List.of());
                }
            } else if (rhs.startsWith("$@")) {
                if (rhs.contains("$>") || rhs.contains("$(")) {
                    return new Translation(List.of(), "line " + rule.number() + ": the result calls a rule set or"
                            + " a map", List.of());
                }
                action = "ok";
            } else {
                return new Translation(List.of(), "line " + rule.number() + ": the rule rewrites the value and goes on ("
                        + (rhs.startsWith("$:") ? "$:" : "a plain right-hand side") + "), which depends on what"
                        + " the rewriting yields; only rules that end in $#error, $#discard or $@ translate",
                        List.of());
            }
            checks.add(new Check(regex, action, text, rule));
        }
        return new Translation(checks, null, notes);
    }

    /** The left- and right-hand sides: sendmail ends each at a tab (the rest is a comment). */
    static String[] split(CfLine rule) {
        String body = rule.text().substring(1).replace('\n', '\t');
        int tab = body.indexOf('\t');
        if (tab < 0) {
            return new String[] {body.strip(), ""};
        }
        String lhs = body.substring(0, tab).strip();
        String rest = body.substring(tab).replaceFirst("^\\t+", "");
        int end = rest.indexOf('\t');
        String rhs = end < 0 ? rest : rest.substring(0, end);
        return new String[] {lhs, rhs.strip()};
    }

    /** The regular expression for a left-hand side; throws naming the construct it cannot translate. */
    String regex(String lhs) {
        // Items: "*", "+", "-" for the wildcards, "w:<word>" and "o:<char>" for literal tokens.
        List<String> items = new ArrayList<>();
        int i = 0;
        while (i < lhs.length()) {
            char c = lhs.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '$') {
                if (i + 1 >= lhs.length()) {
                    throw new IllegalArgumentException("a '$' ends the pattern");
                }
                char m = lhs.charAt(i + 1);
                switch (m) {
                    case '*', '+', '-' -> items.add(String.valueOf(m));
                    case '=', '~' -> throw new IllegalArgumentException("the pattern uses class $" + m
                            + className(lhs, i + 2) + ", whose members Postern does not have");
                    case '&' -> throw new IllegalArgumentException("the pattern uses macro $&" + className(lhs, i + 2)
                            + ", known only while sendmail runs");
                    case '@' -> throw new IllegalArgumentException("the pattern uses $@ (no tokens)");
                    default -> throw new IllegalArgumentException("the pattern uses $" + m
                            + " (a macro or a construct other than $* $+ $-)");
                }
                i += 2;
                continue;
            }
            if (operators.indexOf(c) >= 0) {
                items.add("o:" + c);
                i++;
                continue;
            }
            int start = i;
            while (i < lhs.length() && !Character.isWhitespace(lhs.charAt(i)) && operators.indexOf(lhs.charAt(i)) < 0
                    && lhs.charAt(i) != '$') {
                i++;
            }
            items.add("w:" + lhs.substring(start, i));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the pattern is empty");
        }
        if (items.stream().allMatch(it -> it.equals("*"))) {
            return ""; // $* alone: every value matches
        }
        // Every character belongs to some token, so "any tokens" is any text; the literal words carry
        // the token boundaries (a word token is not split), white space between tokens is free.
        StringBuilder re = new StringBuilder("(?i)");
        boolean previousLiteral = false;
        for (int k = 0; k < items.size(); k++) {
            String it = items.get(k);
            boolean literal = it.startsWith("w:") || it.startsWith("o:");
            if (k == 0 && !it.equals("*")) {
                re.append("^\\s*");
            }
            if (literal && previousLiteral) {
                re.append("\\s*");
            }
            switch (it) {
                case "*" -> {
                    if (k != 0 && k != items.size() - 1) {
                        re.append(".*");
                    }
                }
                case "+" -> re.append(".*\\S.*");
                case "-" -> re.append("\\s*").append(token).append("\\s*");
                default -> {
                    String text = it.substring(2);
                    if (it.startsWith("o:")) {
                        re.append(escape(text));
                    } else {
                        re.append("(?<!").append(wordChar).append(')').append(escape(text))
                                .append("(?!").append(wordChar).append(')');
                    }
                }
            }
            previousLiteral = literal;
        }
        if (!items.get(items.size() - 1).equals("*")) {
            re.append("\\s*$");
        }
        return re.toString();
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String className(String lhs, int at) {
        if (at < lhs.length() && lhs.charAt(at) == '{') {
            int close = lhs.indexOf('}', at);
            return close < 0 ? lhs.substring(at) : lhs.substring(at, close + 1);
        }
        return at < lhs.length() ? String.valueOf(lhs.charAt(at)) : "";
    }

    /**
     * The reply text of {@code $#error [$@ status] $: [code [status]] text}; Postern refuses with
     * {@code 550 5.7.1} and the text, so another code or status is noted.
     */
    private static String errorText(String rhs, CfLine rule, List<String> notes) {
        int colon = rhs.indexOf("$:");
        String text = colon < 0 ? "" : rhs.substring(colon + 2).strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        String status = null;
        int at = rhs.indexOf("$@");
        if (at >= 0 && (colon < 0 || at < colon)) {
            String s = rhs.substring(at + 2, colon < 0 ? rhs.length() : colon).strip();
            if (STATUS.matcher(s).matches()) {
                status = s;
            }
        }
        String code = null;
        Matcher m = REPLY.matcher(text);
        if (m.matches()) {
            code = m.group(1);
            if (m.group(2) != null) {
                status = m.group(2);
            }
            text = m.group(3).strip();
        }
        if ((code != null && !code.equals("550")) || (status != null && !status.equals("5.7.1"))) {
            notes.add("line " + rule.number() + ": sendmail replies " + (code == null ? "" : code)
                    + (status == null ? "" : " " + status) + "; Postern's header checks refuse with 550 5.7.1");
        }
        return text.isEmpty() ? null : text;
    }

    private static String charClassBody(String chars) {
        StringBuilder b = new StringBuilder();
        for (char c : chars.toCharArray()) {
            if ("\\^-[]&".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
