package org.postern.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.deploy.Manifests.at;
import static org.postern.deploy.Manifests.map;
import static org.postern.deploy.Manifests.named;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The kustomize manifests in {@code k8s/}, built by {@code kubectl kustomize} (skipped where no
 * kubectl is installed): each overlay's objects are valid against the Kubernetes API schemas, the
 * base is the Helm chart's default rendering, and the production overlay's monitoring is the
 * chart's.
 */
class KustomizeManifestsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void everyObjectMatchesTheKubernetesSchemas(String directory) throws Exception {
        Manifests manifests = kustomize(directory);

        assertThat(manifests.names()).contains("StatefulSet/postern", "Service/postern", "Service/postern-headless");
        assertThat(KubernetesSchema.problems(manifests)).isEmpty();
    }

    @Test
    void theBaseIsTheChartsDefaultRendering() throws Exception {
        Map<String, Map<String, Object>> base = byName(kustomize("base"));
        Map<String, Map<String, Object>> chart = byName(HelmChart.render(null));

        assertThat(base.keySet()).containsExactlyInAnyOrderElementsOf(chart.keySet());
        base.forEach((name, object) -> assertThat(object).as(name).isEqualTo(chart.get(name)));
    }

    @Test
    void overlaysChangeWhatTheySay() throws Exception {
        Manifests dev = kustomize("overlays/dev");
        Manifests production = kustomize("overlays/production");
        Map<String, Object> devSts = dev.get("StatefulSet", "postern");
        Map<String, Object> prodSts = production.get("StatefulSet", "postern");

        assertThat(at(devSts, "spec.replicas")).isEqualTo(1);
        assertThat(at(devSts, "spec.volumeClaimTemplates.0.spec.resources.requests.storage")).isEqualTo("1Gi");
        assertThat(at(prodSts, "spec.replicas")).isEqualTo(3);
        assertThat(at(prodSts, "spec.volumeClaimTemplates.0.spec.resources.requests.storage")).isEqualTo("50Gi");
        assertThat(at(named(prodSts, "spec.template.spec.containers.0.env", "SPRING_PROFILES_ACTIVE"), "value"))
                .isEqualTo("production");
        // Every object of an overlay lands in the base's namespace, and the pods find their ConfigMap.
        assertThat(production.all()).allSatisfy(o -> assertThat(at(o, "metadata.namespace")).isEqualTo("mail"));
        String configMap = (String) at(named(prodSts, "spec.template.spec.volumes", "config"), "configMap.name");
        assertThat(production.get("ConfigMap", configMap)).isNotNull();
    }

    @Test
    void productionMonitoringIsTheChartsMonitoring() throws Exception {
        Map<String, Map<String, Object>> production = byName(kustomize("overlays/production"));
        Map<String, Map<String, Object>> chart = byName(HelmChart.render("monitoring"));

        for (String name : List.of("ServiceMonitor/postern", "PrometheusRule/postern")) {
            assertThat(production.get(name)).as(name).isNotNull().isEqualTo(chart.get(name));
        }
        Map<String, Object> dashboard = production.get("ConfigMap/postern-dashboard");
        assertThat(map(dashboard, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        assertThat(map(dashboard, "data").get("postern.json"))
                .isEqualTo(Files.readString(HelmChart.directory().resolve("dashboards/postern.json")));
    }

    /** {@code kubectl kustomize k8s/<directory>}, parsed; also kept in service/target/deploy/. */
    static Manifests kustomize(String directory) throws IOException, InterruptedException {
        String kubectl = kubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: kustomize manifests not built");
        Path dir = Repository.root().resolve("k8s").resolve(directory);
        Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize %s: %s", directory, err).isZero();
        String yaml = new String(out, StandardCharsets.UTF_8);
        Files.writeString(Repository.renderedDirectory().resolve("kustomize-" + directory.replace('/', '-') + ".yaml"), yaml);
        return Manifests.parse(yaml);
    }

    private static String kubectl() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(p -> Path.of(p, "kubectl"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse(null);
    }

    /**
     * Objects by "Kind/name", without what differs only by tool: Helm's own labels and checksum
     * annotations, kustomize's namespace, environment label and ConfigMap name hash.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> byName(Manifests manifests) {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        for (Map<String, Object> original : manifests.all()) {
            Map<String, Object> object = (Map<String, Object>) deepCopy(original);
            List<Map<String, Object>> metadata = new ArrayList<>();
            metadata.add((Map<String, Object>) object.get("metadata"));
            if (at(object, "spec.template.metadata") != null) {
                metadata.add(map(object, "spec.template.metadata"));
            }
            for (Map<String, Object> meta : metadata) {
                meta.remove("namespace");
                if (meta.get("labels") instanceof Map<?, ?> labels) {
                    labels.keySet().removeAll(List.of("helm.sh/chart", "app.kubernetes.io/managed-by", "environment"));
                }
                if (meta.get("annotations") instanceof Map<?, ?> annotations) {
                    annotations.keySet().removeIf(k -> ((String) k).startsWith("checksum/"));
                    if (annotations.isEmpty()) {
                        meta.remove("annotations");
                    }
                }
            }
            // A configuration file compares by content, not by its comments and layout.
            if ("ConfigMap".equals(object.get("kind")) && object.get("data") instanceof Map<?, ?> data) {
                ((Map<String, Object>) data).replaceAll((k, v) -> k.endsWith(".yaml")
                        ? new Yaml(new SafeConstructor(new LoaderOptions())).load((String) v) : v);
            }
            String name = unhashed((String) at(object, "metadata.name"), object);
            ((Map<String, Object>) object.get("metadata")).put("name", name);
            if (at(object, "spec.template.spec.volumes") instanceof List<?> volumes) {
                for (Object volume : volumes) {
                    if (at(volume, "configMap") instanceof Map<?, ?> ref) {
                        ((Map<String, Object>) ref).put("name", ((String) ref.get("name")).replaceAll("-[a-z0-9]{10}$", ""));
                    }
                }
            }
            objects.put(object.get("kind") + "/" + name, object);
        }
        return objects;
    }

    private static String unhashed(String name, Map<String, Object> object) {
        return "ConfigMap".equals(object.get("kind")) ? name.replaceAll("-[a-z0-9]{10}$", "") : name;
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(KustomizeManifestsTest::deepCopy).toList());
        }
        return node;
    }
}
