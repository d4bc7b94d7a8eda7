package org.postern.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository's deployment files are, wherever the tests run from (Maven runs them in
 * {@code service/}, an IDE often at the root), and where the tests leave what they rendered.
 */
public final class Repository {

    private Repository() {
    }

    /** The repository root: the nearest directory upwards that holds {@code helm/postern/Chart.yaml}. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("helm/postern/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no helm/postern/Chart.yaml above " + Path.of("").toAbsolutePath());
    }

    /**
     * {@code service/target/deploy/}: rendered manifests and the alert rules, kept for a look after
     * the build and for {@code promtool} in {@code .ci/run}.
     */
    public static Path renderedDirectory() {
        try {
            return Files.createDirectories(root().resolve("service/target/deploy"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
