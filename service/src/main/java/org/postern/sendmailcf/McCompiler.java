package org.postern.sendmailcf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds a {@code sendmail.cf} from a {@code .mc} file the way sendmail's own build does:
 * {@code m4 -D_CF_DIR_=<cf dir>/ <cf dir>/m4/cf.m4 file.mc}, run in the {@code .mc} file's directory
 * so that its relative {@code include}s work. Needs GNU m4 and sendmail's m4 macros (Debian:
 * {@code apt-get install m4 sendmail-cf}); {@link #available()} says whether they are there.
 */
public final class McCompiler {

    /** Where Debian's sendmail-cf installs the macros. */
    public static final Path DEBIAN_CF_DIR = Path.of("/usr/share/sendmail/cf");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path m4;
    private final Path cfDir;

    /** m4 from {@code /usr/bin/m4} (or the PATH) and Debian's macro directory. */
    public McCompiler() {
        this(findM4(), DEBIAN_CF_DIR);
    }

    public McCompiler(Path m4, Path cfDir) {
        this.m4 = m4;
        this.cfDir = cfDir;
    }

    /** Whether m4 and sendmail's {@code cf.m4} are installed. */
    public boolean available() {
        return m4 != null && Files.isExecutable(m4) && Files.isRegularFile(cfDir.resolve("m4/cf.m4"));
    }

    /**
     * Runs m4 over the {@code .mc} file.
     *
     * @param warnings collects what m4 wrote to standard error on success (sendmail's macros warn
     *                 there, e.g. about obsolete features)
     * @return the {@code sendmail.cf} text
     * @throws ImportException when m4 fails, with its messages
     */
    public String compile(Path mc, List<String> warnings) throws ImportException {
        Path abs = mc.toAbsolutePath();
        List<String> command = List.of(m4.toString(), "-D_CF_DIR_=" + cfDir + "/", cfDir.resolve("m4/cf.m4").toString(),
                abs.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(abs.getParent().toFile()).start();
        } catch (IOException e) {
            throw new ImportException("cannot run " + m4 + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stdout = read(process.getInputStream());
            CompletableFuture<String> stderr = read(process.getErrorStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ImportException(mc + ": m4 did not finish within " + TIMEOUT_SECONDS + " seconds");
            }
            String out = stdout.get();
            String err = stderr.get().strip();
            if (process.exitValue() != 0) {
                throw new ImportException(mc + ": m4 failed (exit status " + process.exitValue() + ")"
                        + (err.isEmpty() ? "" : ":\n" + err));
            }
            if (!err.isEmpty()) {
                warnings.addAll(List.of(err.split("\n")));
            }
            return out;
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            throw new ImportException(mc + ": reading m4's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImportException(mc + ": interrupted while m4 ran", e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Path findM4() {
        Path usual = Path.of("/usr/bin/m4");
        if (Files.isExecutable(usual)) {
            return usual;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "m4");
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
