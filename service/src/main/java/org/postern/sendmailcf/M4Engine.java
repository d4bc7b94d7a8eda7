package org.postern.sendmailcf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small m4 for {@code .mc} files, enough to read them as GNU m4 does after sendmail-cf's
 * {@code cf.m4}: quotes are {@code `} and {@code '} (one level is removed on each scan), there is
 * no comment delimiter ({@code cf.m4} calls {@code changecom()}, so {@code #} lines are text and
 * their macros expand), a word is {@code [A-Za-z_][A-Za-z0-9_]*}, arguments are collected with
 * nested parentheses and their leading white space skipped, expansions are rescanned, and output
 * goes to numbered diversions (negative ones discard it).
 *
 * <p>It evaluates {@code define}, {@code undefine}, {@code dnl}, {@code divert}, {@code include} of
 * a readable absolute path, and text macros with {@code $0}–{@code $9}, {@code $#}, {@code $*} and
 * {@code $@}. The cf macros ({@code FEATURE}, {@code MAILER}, …) are handed to {@link CfMacros}.
 * Other m4 constructs ({@code ifdef}, {@code ifelse}, {@code changequote}, {@code eval}, …) are not
 * evaluated: each becomes a note and its result is left out, so nothing is dropped silently.
 */
final class M4Engine {

    /** The cf macros (sendmail-cf's {@code cfhead.m4}), implemented by the interpreter. */
    interface CfMacros {

        /** Whether {@code name} is a cf macro (recognised with or without arguments, as m4 does). */
        boolean handles(String name);

        /** Performs the call; returns text to rescan in its place (often empty). */
        String call(M4Call call);

        /** Told after a {@code define} (or {@code pushdef}) written in the file. */
        void defined(M4Call call, String name);

        /** Told after an {@code undefine} written in the file. */
        void undefined(M4Call call, String name);
    }

    /**
     * Where a call was read: the line of the {@code .mc} file, and the file and line when it came
     * from an included file (expanded text keeps the place of the call that produced it).
     */
    record Location(int line, String file, int fileLine) {

        String describe() {
            return file == null ? "" : " (in " + file + ", line " + fileLine + ")";
        }
    }

    /** One macro call: its arguments with one level of quotes removed, and its text in the file. */
    record M4Call(String name, List<String> args, boolean parenthesized, Location location, String text) {

        String arg(int index) {
            return index < args.size() ? args.get(index) : "";
        }
    }

    /** m4 builtins recognised only when an opening parenthesis follows (GNU m4 "blind" macros). */
    private static final Set<String> BLIND_BUILTINS = Set.of("define", "undefine", "defn", "pushdef", "popdef",
            "indir", "builtin", "ifdef", "ifelse", "shift", "include", "sinclude", "eval", "len", "index",
            "regexp", "substr", "translit", "patsubst", "incr", "decr", "syscmd", "esyscmd", "mkstemp",
            "maketemp", "errprint", "m4wrap", "debugfile", "changeword");

    /** m4 builtins recognised with or without arguments. */
    private static final Set<String> BUILTINS = Set.of("dnl", "divert", "undivert", "divnum", "changequote",
            "changecom", "traceon", "traceoff", "dumpdef", "debugmode", "m4exit", "sysval", "__file__",
            "__line__", "__program__", "__gnu__", "__unix__");

    /** More expansions than this in one scan is a macro that never stops expanding itself. */
    private static final int MAX_EXPANSIONS = 100_000;

    private static final int MAX_INCLUDE_DEPTH = 8;

    private static final int MAX_CALL_TEXT = 200;

    private final CfMacros cfMacros;
    private final Map<String, String> definitions = new HashMap<>();
    private final Map<Integer, StringBuilder> diversions = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Deque<Integer> divertStack = new ArrayDeque<>();
    private int diversion;
    private StringBuilder capture;
    private int includeDepth;
    private Location lastLocation = new Location(1, null, 0);

    M4Engine(CfMacros cfMacros) {
        this.cfMacros = cfMacros;
    }

    /** Reads the text of the {@code .mc} file, top to bottom. */
    void run(String text) {
        Input in = new Input();
        in.frames.push(new Frame(text, null, null, null));
        process(in);
        lastLocation = in.location();
    }

    /**
     * Reads {@code text} as if it were written at {@code at} (a sendmail-cf file the interpreter
     * knows by heart, such as {@code ostype/linux.m4}), with its output discarded as sendmail-cf's
     * {@code PUSHDIVERT(-1)} does; the diversion is restored afterwards.
     */
    void runDiscarding(String text, Location at) {
        int saved = diversion;
        diversion = -1;
        Input in = new Input();
        in.frames.push(new Frame(text, at, null, null));
        process(in);
        diversion = saved;
    }

    /** What m4 makes of {@code text} when it is rescanned: macros expanded, one level of quotes removed. */
    String expand(String text) {
        StringBuilder saved = capture;
        capture = new StringBuilder();
        try {
            Input in = new Input();
            in.frames.push(new Frame(text, lastLocation, null, null));
            process(in);
            return capture.toString();
        } finally {
            capture = saved;
        }
    }

    /**
     * The place of the last call read; after {@link #run}, the end of the file: where the notes made
     * while writing the cf text point.
     */
    Location endOfFile() {
        return lastLocation;
    }

    boolean isDefined(String name) {
        return definitions.containsKey(name);
    }

    String definition(String name) {
        return definitions.get(name);
    }

    void define(String name, String value) {
        definitions.put(name, value);
    }

    void defineIfNot(String name, String value) {
        definitions.putIfAbsent(name, value);
    }

    void undefine(String name) {
        definitions.remove(name);
    }

    int diversion() {
        return diversion;
    }

    void divert(int number) {
        diversion = number;
    }

    /** sendmail-cf's {@code PUSHDIVERT(n)}. */
    void pushDivert(int number) {
        divertStack.push(diversion);
        diversion = number;
    }

    /** sendmail-cf's {@code POPDIVERT}. */
    void popDivert() {
        if (!divertStack.isEmpty()) {
            diversion = divertStack.pop();
        }
    }

    /** Appends to a diversion directly, as an included sendmail-cf file would write there. */
    void appendTo(int number, String text) {
        if (number >= 0) {
            diversions.computeIfAbsent(number, n -> new StringBuilder()).append(text);
        }
    }

    /** The text of diversion {@code number} (empty when nothing was written there). */
    String diversionText(int number) {
        StringBuilder text = diversions.get(number);
        return text == null ? "" : text.toString();
    }

    /** The diversions written to, by number. */
    Set<Integer> diversionNumbers() {
        return diversions.keySet();
    }

    List<String> notes() {
        return notes;
    }

    /** Adds {@code "line N: <call> — <reason>"}. */
    void note(M4Call call, String reason) {
        note(call.location(), call.text(), reason);
    }

    void note(Location location, String what, String reason) {
        notes.add("line " + location.line() + ": " + what + " — " + reason + location.describe());
    }

    private void process(Input in) {
        while (true) {
            int c = in.peek();
            if (c < 0) {
                return;
            }
            if (c == '`') {
                out(in.readQuoted());
            } else if (isWordStart(c)) {
                Location location = in.location();
                Mark mark = in.mark();
                String word = in.readWord();
                if (isMacro(word, in)) {
                    invoke(word, location, mark, in);
                } else {
                    out(word);
                }
            } else {
                out(String.valueOf((char) in.next()));
            }
        }
    }

    private boolean isMacro(String word, Input in) {
        if (BUILTINS.contains(word) || cfMacros.handles(word) || definitions.containsKey(word)) {
            return true;
        }
        return BLIND_BUILTINS.contains(word) && in.peek() == '(';
    }

    private void invoke(String name, Location location, Mark mark, Input in) {
        lastLocation = location;
        if (++in.expansions > MAX_EXPANSIONS) {
            note(location, name, "expands without end (more than " + MAX_EXPANSIONS
                    + " expansions); the rest of the file is not read");
            in.frames.clear();
            return;
        }
        if (name.equals("dnl")) {
            in.skipLine();
            return;
        }
        List<String> args = List.of();
        boolean parenthesized = in.peek() == '(';
        if (parenthesized) {
            in.next();
            args = collectArguments(name, location, in);
        }
        M4Call call = new M4Call(name, args, parenthesized, location, callText(name, args, parenthesized, mark, in));
        if (BUILTINS.contains(name) || BLIND_BUILTINS.contains(name)) {
            builtin(call);
        } else if (cfMacros.handles(name)) {
            in.push(cfMacros.call(call), location);
        } else {
            in.push(substitute(definitions.get(name), call), location);
        }
    }

    private List<String> collectArguments(String name, Location location, Input in) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        in.skipWhiteSpace();
        while (true) {
            int c = in.peek();
            if (c < 0) {
                note(location, name + "(", "the file ends inside its argument list (m4 stops with an error)");
                args.add(current.toString());
                return args;
            }
            if (c == '`') {
                current.append(in.readQuoted());
                continue;
            }
            if (isWordStart(c)) {
                Location at = in.location();
                Mark mark = in.mark();
                String word = in.readWord();
                if (isMacro(word, in)) {
                    invoke(word, at, mark, in);
                } else {
                    current.append(word);
                }
                continue;
            }
            in.next();
            if (c == '(') {
                depth++;
                current.append('(');
            } else if (c == ')' && depth == 0) {
                args.add(current.toString());
                return args;
            } else if (c == ')') {
                depth--;
                current.append(')');
            } else if (c == ',' && depth == 0) {
                args.add(current.toString());
                current.setLength(0);
                in.skipWhiteSpace();
            } else {
                current.append((char) c);
            }
        }
    }

    private void builtin(M4Call call) {
        switch (call.name()) {
            case "define", "pushdef" -> {
                if (call.args().isEmpty() || call.arg(0).isEmpty()) {
                    note(call, "defines nothing (no macro name)");
                    return;
                }
                definitions.put(call.arg(0), call.arg(1));
                if (call.name().equals("pushdef")) {
                    note(call, "pushdef is taken as define (popdef is not evaluated)");
                }
                cfMacros.defined(call, call.arg(0));
            }
            case "undefine" -> {
                for (String name : call.args()) {
                    definitions.remove(name);
                    cfMacros.undefined(call, name);
                }
            }
            case "divert" -> divertBuiltin(call);
            case "include", "sinclude" -> include(call);
            case "changecom" -> {
                // cf.m4 itself calls changecom() to turn comments off: that is the state already.
                if (!(call.args().isEmpty() || call.args().size() == 1 && call.arg(0).isEmpty())) {
                    note(call, "changecom is not evaluated: the text is read with no comment delimiter,"
                            + " as after cf.m4");
                }
            }
            case "changequote" -> {
                // Setting the quotes back to sendmail-cf's changes nothing. Read with ` and ' (as here,
                // when an earlier changequote was not evaluated), changequote(`, ') has the one argument ", ".
                boolean backToDefault = call.args().size() == 2 && call.arg(0).equals("`") && call.arg(1).equals("'")
                        || call.args().size() == 1 && call.arg(0).equals(", ");
                if (!backToDefault) {
                    note(call, "changequote is not evaluated: the text is read with the quotes ` and '");
                }
            }
            case "errprint" -> note(call, "m4 prints this message; no cf line comes of it");
            case "__gnu__", "__unix__" -> {
                // GNU m4 defines them as empty.
            }
            default -> note(call, "m4 construct not evaluated without m4; its result is left out");
        }
    }

    private void divertBuiltin(M4Call call) {
        String argument = call.arg(0).strip();
        int number;
        try {
            number = argument.isEmpty() ? 0 : Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            note(call, "not a diversion number; the diversion is unchanged");
            return;
        }
        diversion = number;
        if (number == 1 || number == 2 || number == 4 || number == 8) {
            note(call, "text in diversion " + number + " goes into the middle of sendmail-cf's standard rule"
                    + " sets, which are not reproduced; it is not passed on");
        } else if (number > 9) {
            note(call, "text in diversion " + number + " is written by m4 after the whole configuration;"
                    + " it is not passed on");
        }
    }

    private void include(M4Call call) {
        String path = call.arg(0).strip();
        if (path.endsWith("m4/cf.m4") || path.equals("cf.m4")) {
            return; // the sendmail-cf prelude: what this interpreter stands in for
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            note(call, "include of a file not found");
            return;
        }
        if (!file.isAbsolute()) {
            note(call, "include of a relative path is not resolved without m4 (its contents are left out)");
            return;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            note(call, call.name().equals("sinclude")
                    ? "sinclude of a file not found (m4 skips it too)"
                    : "include of a file not found");
            return;
        }
        if (includeDepth >= MAX_INCLUDE_DEPTH) {
            note(call, "includes nested deeper than " + MAX_INCLUDE_DEPTH + "; not read");
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            note(call, "include of a file that cannot be read (" + e.getMessage() + ")");
            return;
        }
        includeDepth++;
        try {
            Input in = new Input();
            in.frames.push(new Frame(text, null, path, call.location()));
            process(in);
        } finally {
            includeDepth--;
        }
    }

    /** A text macro's body with {@code $0}…{@code $n}, {@code $#}, {@code $*} and {@code $@} replaced. */
    private static String substitute(String body, M4Call call) {
        StringBuilder result = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '$' || i + 1 >= body.length()) {
                result.append(c);
                continue;
            }
            char next = body.charAt(i + 1);
            if (Character.isDigit(next)) {
                int end = i + 1;
                while (end < body.length() && Character.isDigit(body.charAt(end))) {
                    end++;
                }
                int number = Integer.parseInt(body.substring(i + 1, end));
                result.append(number == 0 ? call.name() : call.arg(number - 1));
                i = end - 1;
            } else if (next == '#') {
                result.append(call.args().size());
                i++;
            } else if (next == '*' || next == '@') {
                for (int a = 0; a < call.args().size(); a++) {
                    if (a > 0) {
                        result.append(',');
                    }
                    result.append(next == '@' ? "`" + call.args().get(a) + "'" : call.args().get(a));
                }
                i++;
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

    private static String callText(String name, List<String> args, boolean parenthesized, Mark mark, Input in) {
        String text;
        Frame top = in.frames.peek();
        if (top != null && top == mark.frame() && top.pos >= mark.pos()) {
            text = top.text.substring(mark.pos(), top.pos);
        } else {
            StringBuilder rebuilt = new StringBuilder(name);
            if (parenthesized) {
                rebuilt.append('(');
                for (int i = 0; i < args.size(); i++) {
                    rebuilt.append(i == 0 ? "" : ", ").append('`').append(args.get(i)).append('\'');
                }
                rebuilt.append(')');
            }
            text = rebuilt.toString();
        }
        if (text.indexOf('\n') >= 0) {
            text = text.replaceAll("[ \t]*\r?\n[ \t]*", " ");
        }
        text = text.strip();
        return text.length() > MAX_CALL_TEXT ? text.substring(0, MAX_CALL_TEXT) + "…" : text;
    }

    private void out(String text) {
        if (capture != null) {
            capture.append(text);
        } else if (diversion >= 0) {
            diversions.computeIfAbsent(diversion, n -> new StringBuilder()).append(text);
        }
    }

    private static boolean isWordStart(int c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordPart(int c) {
        return isWordStart(c) || c >= '0' && c <= '9';
    }

    /**
     * A piece of text being read: the file itself (no origin), an included file (a file name and
     * the place of the include), or an expansion being rescanned (the place of its call).
     */
    private static final class Frame {
        final String text;
        final Location origin;
        final String file;
        final Location includedAt;
        int pos;
        int line = 1;

        Frame(String text, Location origin, String file, Location includedAt) {
            this.text = text;
            this.origin = origin;
            this.file = file;
            this.includedAt = includedAt;
        }
    }

    private record Mark(Frame frame, int pos) {
    }

    /** The input as a stack of frames: an expansion is pushed and read before the rest. */
    private final class Input {
        final Deque<Frame> frames = new ArrayDeque<>();
        /** Calls read from this input: a runaway macro stops this input only. */
        int expansions;

        int peek() {
            while (!frames.isEmpty()) {
                Frame top = frames.peek();
                if (top.pos < top.text.length()) {
                    return top.text.charAt(top.pos);
                }
                if (frames.size() == 1) {
                    return -1;
                }
                frames.pop();
            }
            return -1;
        }

        int next() {
            int c = peek();
            if (c >= 0) {
                Frame top = frames.peek();
                top.pos++;
                if (c == '\n') {
                    top.line++;
                }
            }
            return c;
        }

        void push(String text, Location origin) {
            peek(); // drop the frames read to their end, so that recursion does not pile them up
            if (!text.isEmpty()) {
                frames.push(new Frame(text, origin, null, null));
            }
        }

        Location location() {
            peek();
            Frame top = frames.peek();
            if (top == null) {
                return lastLocation;
            }
            if (top.origin != null) {
                return top.origin;
            }
            if (top.file != null) {
                return new Location(top.includedAt.line(), top.file, top.line);
            }
            return new Location(top.line, null, 0);
        }

        Mark mark() {
            peek();
            Frame top = frames.peek();
            return new Mark(top, top == null ? 0 : top.pos);
        }

        /** Reads a word; the caller has seen its first character. */
        String readWord() {
            StringBuilder word = new StringBuilder();
            while (isWordPart(peek())) {
                word.append((char) next());
            }
            return word.toString();
        }

        /** Reads a quoted string (at its opening quote) and returns it without the outer quotes. */
        String readQuoted() {
            Location start = location();
            next();
            StringBuilder text = new StringBuilder();
            int depth = 1;
            while (true) {
                int c = next();
                if (c < 0) {
                    note(start, "`" + abbreviate(text), "the file ends inside this quoted string (m4 stops"
                            + " with an error)");
                    return text.toString();
                }
                if (c == '`') {
                    depth++;
                } else if (c == '\'' && --depth == 0) {
                    return text.toString();
                }
                text.append((char) c);
            }
        }

        void skipWhiteSpace() {
            int c;
            while ((c = peek()) == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                next();
            }
        }

        void skipLine() {
            int c;
            do {
                c = next();
            } while (c >= 0 && c != '\n');
        }
    }

    private static String abbreviate(CharSequence text) {
        String line = text.toString().replaceAll("\\s+", " ").strip();
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }
}
