package org.postern.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The chart in {@code helm/postern}, rendered by real Helm (helm-java runs Helm's own Go code
 * through JNI) as release {@value #RELEASE} in namespace {@value #NAMESPACE}, optionally with one
 * of the value sets in {@code helm/postern/ci/} and {@code --set} values.
 */
public final class HelmChart {

    public static final String RELEASE = "postern";
    public static final String NAMESPACE = "mail";
    /** The Kubernetes version Helm renders for (Capabilities.KubeVersion); the chart needs 1.25+. */
    public static final String KUBE_VERSION = "1.32.0";

    private HelmChart() {
    }

    public static Path directory() {
        return Repository.root().resolve("helm/postern");
    }

    /** {@code helm template} with the chart's defaults. */
    public static String template() {
        return template(null, Map.of());
    }

    /**
     * {@code helm template}; fails with Helm's message when a template or the values schema refuses.
     *
     * @param valuesSet the name of a file {@code ci/<name>-values.yaml}, or null for the defaults alone
     * @param set       {@code --set} values
     */
    public static String template(String valuesSet, Map<String, Object> set) {
        TemplateCommand command = new Helm(directory()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesSet != null) {
            Path values = directory().resolve("ci").resolve(valuesSet + "-values.yaml");
            if (!Files.isRegularFile(values)) {
                throw new IllegalArgumentException("no value set " + values);
            }
            command = command.withValuesFile(values);
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            command = command.set(entry.getKey(), entry.getValue());
        }
        return command.call();
    }

    /** Renders and parses; also keeps the rendering in {@code service/target/deploy/helm-<name>.yaml}. */
    public static Manifests render(String valuesSet, Map<String, Object> set) {
        String yaml = template(valuesSet, set);
        String name = "helm-" + (valuesSet == null ? "default" : valuesSet) + (set.isEmpty() ? "" : "-set") + ".yaml";
        try {
            Files.writeString(Repository.renderedDirectory().resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.parse(yaml);
    }

    public static Manifests render(String valuesSet) {
        return render(valuesSet, Map.of());
    }
}
