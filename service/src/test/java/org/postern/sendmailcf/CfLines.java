package org.postern.sendmailcf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lines of a {@code sendmail.cf}, grouped as the comparison with m4 needs them: each line with
 * its continuation lines (as sendmail's {@code fgetfolded} joins them, kept byte for byte), options
 * by name, macros by name, mailers by name, headers by name and condition, maps by name, class
 * lines, and the {@code R} lines of each rule set. Also runs m4 the way
 * {@code org.postern.config.SendmailCfRegenerationTest} does.
 */
record CfLines(Map<String, List<String>> options, Map<String, String> macros, Map<String, String> mailers,
        Map<String, String> headers, Map<String, String> maps, List<String> classes,
        Map<String, List<String>> rulesets) {

    static final Path M4 = Path.of("/usr/bin/m4");
    static final Path CF_M4 = Path.of("/usr/share/sendmail/cf/m4/cf.m4");
    static final Path CF_DIR = Path.of("/usr/share/sendmail/cf/cf");

    static boolean m4Installed() {
        return Files.isExecutable(M4) && Files.isRegularFile(CF_M4);
    }

    /** {@code m4 cf.m4 file.mc} in {@code dir}: the sendmail.cf text. */
    static String m4(Path mc, Path dir) throws IOException, InterruptedException {
        Path cf = dir.resolve(mc.getFileName() + ".cf");
        Process m4 = new ProcessBuilder(M4.toString(), CF_M4.toString(), mc.toString()).directory(dir.toFile())
                .redirectOutput(cf.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!m4.waitFor(60, TimeUnit.SECONDS)) {
            m4.destroyForcibly();
            throw new IllegalStateException("m4 did not finish on " + mc);
        }
        if (m4.exitValue() != 0) {
            throw new IllegalStateException("m4 exit status " + m4.exitValue() + " on " + mc);
        }
        return Files.readString(cf, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static CfLines parse(String cf) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        Map<String, String> macros = new LinkedHashMap<>();
        Map<String, String> mailers = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> maps = new LinkedHashMap<>();
        List<String> classes = new ArrayList<>();
        Map<String, List<String>> rulesets = new LinkedHashMap<>();
        List<String> currentRules = null;
        for (String line : logicalLines(cf)) {
            char kind = line.charAt(0);
            switch (kind) {
                case 'O' -> {
                    String option = line.substring(1).strip();
                    int equals = option.indexOf('=');
                    String name = equals < 0 ? option : option.substring(0, equals);
                    options.computeIfAbsent(name, n -> new ArrayList<>()).add(line);
                }
                case 'D' -> macros.put(macroName(line), line);
                case 'M' -> mailers.put(line.substring(1).split("[,\\s]", 2)[0], line);
                case 'H' -> headers.put(line.substring(0, line.indexOf(':')), line);
                case 'K' -> maps.put(line.substring(1).split("\\s", 2)[0], line);
                case 'C', 'F' -> classes.add(line);
                case 'S' -> {
                    String name = line.substring(1).strip().split("=", 2)[0];
                    currentRules = rulesets.computeIfAbsent(name, n -> new ArrayList<>());
                }
                case 'R' -> {
                    if (currentRules != null) {
                        currentRules.add(line);
                    }
                }
                default -> {
                    // V, P, T, Q, X lines: not compared.
                }
            }
        }
        return new CfLines(options, macros, mailers, headers, maps, classes, rulesets);
    }

    /** A mailer's fields by their one-letter code ({@code P}, {@code F}, …), its name under {@code Mname}. */
    static Map<String, String> mailerFields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] parts = line.replaceAll("\\s*\n\\s*", " ").split(",\\s*");
        fields.put("Mname", parts[0].substring(1).strip());
        for (int i = 1; i < parts.length; i++) {
            String field = parts[i].strip();
            if (!field.isEmpty()) {
                fields.put(field.substring(0, 1), field.substring(field.indexOf('=') + 1));
            }
        }
        return fields;
    }

    /** The lines of a cf text, each with its continuation lines, without comments and blank lines. */
    static List<String> logicalLines(String cf) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = null;
        for (String line : cf.split("\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (current != null) {
                    current.append('\n').append(line);
                }
                continue;
            }
            if (current != null) {
                lines.add(current.toString());
                current = null;
            }
            if (!line.isEmpty() && line.charAt(0) != '#') {
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static String macroName(String line) {
        if (line.length() > 1 && line.charAt(1) == '{') {
            return line.substring(1, line.indexOf('}') + 1);
        }
        return line.length() > 1 ? line.substring(1, 2) : "";
    }
}
