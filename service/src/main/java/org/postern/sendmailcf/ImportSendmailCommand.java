package org.postern.sendmailcf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code java -jar postern.jar import-sendmail <file> [-o FILE] [--mailertable FILE] [--genericstable FILE]}:
 * reads a {@code sendmail.cf} or a {@code .mc} file (compiled with m4 and sendmail's macros when
 * they are installed), maps it ({@link SendmailImporter}), checks the result as startup would
 * ({@link ImportValidator}) and writes the YAML with its report to standard output or the file.
 * Nothing is written when the result would not start. Exit status: 0 written, 1 the input cannot
 * be imported (the reason on standard error), 2 usage.
 */
public final class ImportSendmailCommand {

    /** The first argument that selects this command in {@code PosternApplication.main}. */
    public static final String NAME = "import-sendmail";
    public static final int OK = 0;
    public static final int INVALID_INPUT = 1;
    public static final int USAGE = 2;
    static final String USAGE_LINE = "usage: java -jar postern.jar import-sendmail <sendmail.cf|file.mc> [-o FILE]"
            + " [--mailertable FILE] [--genericstable FILE]";
    private static final Pattern MC_MARKERS = Pattern.compile(
            "(?m)^\\s*(divert\\(|include\\(|OSTYPE\\(|DOMAIN\\(|FEATURE\\(|MAILER\\(|VERSIONID\\(|define\\()");

    private final McCompiler m4;

    public ImportSendmailCommand() {
        this(new McCompiler());
    }

    ImportSendmailCommand(McCompiler m4) {
        this.m4 = m4;
    }

    /**
     * The command-line entry: runs with the process's streams, keeping standard output for the YAML
     * (anything a library logs goes to standard error), and returns the exit status.
     *
     * @param args the arguments after {@code import-sendmail}
     */
    public static int main(String[] args) {
        PrintStream stdout = System.out;
        System.setOut(System.err); // a stray log line must never end up inside the YAML
        ImportValidator.quietLogging();
        try {
            return new ImportSendmailCommand().run(args, stdout, System.err);
        } finally {
            System.setOut(stdout);
        }
    }

    /** Runs the command; the YAML goes to {@code out} unless {@code -o} names a file. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        Path output = null;
        Path mailertable = null;
        Path genericstable = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE_LINE);
                    return OK;
                }
                case "-o", "--output", "--mailertable", "--genericstable" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a file name");
                    }
                    Path value = Path.of(args[++i]);
                    switch (a) {
                        case "--mailertable" -> mailertable = value;
                        case "--genericstable" -> genericstable = value;
                        default -> output = value;
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        return usage(err, "unknown option " + a);
                    }
                    if (input != null) {
                        return usage(err, "one input file, please (" + input + " and " + a + ")");
                    }
                    input = Path.of(a);
                }
            }
        }
        if (input == null) {
            return usage(err, "no input file");
        }
        try {
            String yaml = importFile(input, mailertable, genericstable);
            if (output == null) {
                out.print(yaml);
                out.flush();
            } else {
                Files.writeString(output, yaml, StandardCharsets.UTF_8);
                err.println("import-sendmail: wrote " + output);
            }
            return OK;
        } catch (ImportException e) {
            err.println("import-sendmail: " + e.getMessage());
            return INVALID_INPUT;
        } catch (IOException e) {
            err.println("import-sendmail: cannot write " + output + ": " + e.getMessage());
            return INVALID_INPUT;
        }
    }

    /**
     * Imports one file: the YAML, with its report, already validated.
     *
     * @throws ImportException when the input cannot be read, compiled or imported, or the result would not start
     */
    public String importFile(Path input, Path mailertable, Path genericstable) throws ImportException {
        String text = read(input, "input");
        List<String> notes = new ArrayList<>();
        String cfText;
        String source = input.toString();
        if (isMc(input, text)) {
            if (m4.available()) {
                cfText = m4.compile(input, notes);
                source += " (compiled with m4 and sendmail-cf)";
            } else {
                cfText = cfFromMcWithoutM4(text, notes);
                source += " (interpreted without m4)";
            }
        } else {
            cfText = text;
        }
        CfFile cf;
        try {
            cf = CfParser.parse(cfText);
        } catch (IllegalArgumentException e) {
            throw new ImportException(input + ": " + e.getMessage(), e);
        }
        SendmailImporter.Tables tables = new SendmailImporter.Tables(
                mailertable == null ? null : read(mailertable, "mailertable"),
                mailertable == null ? null : mailertable.toString(),
                genericstable == null ? null : read(genericstable, "genericstable"),
                genericstable == null ? null : genericstable.toString());
        SendmailImporter.Result result = SendmailImporter.importCf(cf, tables);
        for (String note : notes) {
            if (note.startsWith(NOT_INTERPRETED)) {
                result.report().add(ImportReport.Kind.UNMAPPED, "General", 0, "m4",
                        note.substring(NOT_INTERPRETED.length()) + " (build with m4 and sendmail-cf for the full result)");
            } else {
                result.report().note("General", 0, "m4", note);
            }
        }
        String yaml = result.yaml(source);
        ImportValidator.validate(yaml);
        return yaml;
    }

    /**
     * The {@code .mc} file as a {@code sendmail.cf} when m4 or sendmail's macros are not installed.
     * {@link McInterpreter} reads the common {@code .mc} macros directly; what it cannot reproduce
     * becomes a note, reported as unmapped.
     *
     * @param notes collects what the interpretation could not reproduce, for the report
     */
    static String cfFromMcWithoutM4(String mcText, List<String> notes) {
        McTranslation translation = McInterpreter.interpret(mcText);
        translation.notes().forEach(note -> notes.add(NOT_INTERPRETED + note));
        return translation.cfText();
    }

    /** Marks the interpreter's notes: they are .mc lines that did not reach the cf, so they are unmapped. */
    private static final String NOT_INTERPRETED = "not interpreted without m4: ";

    /** A {@code .mc} file by its name, or else by its m4 macros (a cf has none of them at a line start). */
    static boolean isMc(Path input, String text) {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mc")) {
            return true;
        }
        if (name.endsWith(".cf")) {
            return false;
        }
        return MC_MARKERS.matcher(text).find();
    }

    private static String read(Path file, String what) throws ImportException {
        try {
            // sendmail files are bytes: ISO-8859-1 keeps every one of them.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ImportException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("import-sendmail: " + problem);
        err.println(USAGE_LINE);
        return USAGE;
    }
}
