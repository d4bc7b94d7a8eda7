package org.postern.durability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the durability ITs launch the packaged relay fast enough to restart it a dozen times per test.
 * A Spring Boot start takes 25 to 50 s on a 2-core machine shared with other builds, mostly class
 * loading and JIT compilation; so, once per test run, the jar is unpacked the way Spring Boot
 * recommends for class-data sharing ({@code java -Djarmode=tools -jar postern.jar extract}: the same
 * classes, its libraries as plain jars) and a JDK AOT cache is trained on it (JEP 483/514: one start
 * that exits after the context refresh). The relay then runs with C1 only, which compiles far less
 * at startup. Measured on the loaded 2-core machine: 42 s per start from the fat jar, 8 s like this.
 *
 * <p>Neither the AOT cache nor C1 changes what the application does, only how fast it starts. When
 * the JDK is older than 25, or {@code -Dpostern.it.aot=false}, or the training fails, the relay runs
 * from the fat jar as before.
 */
final class RelayLauncher {

    private static final Path WORK = Path.of(System.getProperty("postern.it-aot", "target/it-aot"));
    private static List<String> command;

    private RelayLauncher() {
    }

    /** The {@code java} command line through the jar; the application's arguments follow it. */
    static synchronized List<String> command(Path jar, Path logs) throws IOException, InterruptedException {
        if (command == null) {
            command = prepare(jar, logs);
        }
        return command;
    }

    private static List<String> prepare(Path jar, Path logs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> plain = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString());
        if (Runtime.version().feature() < 25 || "false".equals(System.getProperty("postern.it.aot"))) {
            return plain;
        }
        BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        // One directory per build of the jar: a rebuilt jar gets a fresh extraction and cache.
        Path dir = WORK.resolve(attributes.size() + "-" + attributes.lastModifiedTime().toMillis()).toAbsolutePath();
        Path extracted = dir.resolve("postern.jar");
        Path cache = dir.resolve("postern.aot");
        List<String> fast = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + cache, "-jar",
                extracted.toString());
        if (Files.isRegularFile(cache) && Files.isRegularFile(extracted)) {
            return fast;
        }
        long started = System.nanoTime();
        deleteRecursively(dir);
        Files.createDirectories(logs);
        Path log = logs.resolve("aot-training.log");
        boolean extractedOk = run(log, java, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
                "--destination", dir.toString());
        Path spool = Files.createTempDirectory("postern-aot-training");
        Path partial = dir.resolve("postern.aot.partial");
        // The same JVM options as the runs that use the cache; the context exits right after refresh.
        boolean trained = extractedOk && run(log, java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:AOTCacheOutput=" + partial, "-Dspring.context.exit=onRefresh", "-jar", extracted.toString(),
                "--postern.daemon-ports[0].name=MTA", "--postern.daemon-ports[0].addr=127.0.0.1",
                "--postern.daemon-ports[0].port=0", "--server.address=127.0.0.1", "--server.port=0",
                "--postern.spool.directory=" + spool, "--postern.hostname=relay.test",
                "--postern.routing.smart-host=[127.0.0.1]:1", "--postern.dns.servers=127.0.0.1:1")
                && Files.isRegularFile(partial);
        deleteRecursively(spool);
        if (!trained) {
            System.out.println("RelayLauncher: no AOT cache (see " + log.toAbsolutePath() + "); running the fat jar");
            return plain;
        }
        Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE); // a cache is whole or absent
        System.out.printf("RelayLauncher: AOT cache trained in %d s: %s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), cache);
        return fast;
    }

    private static boolean run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            return false;
        }
        return p.exitValue() == 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
