package org.postern.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.deploy.Manifests.at;
import static org.postern.deploy.Manifests.list;
import static org.postern.deploy.Manifests.map;
import static org.postern.deploy.Manifests.named;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart rendered by real Helm for its defaults and for each value set in
 * {@code helm/postern/ci/}: every object is valid against the Kubernetes API schemas, and the
 * defaults are the safe deployment the chart promises (non-root, read-only, drained within the
 * grace period, management port internal, SMTP admitted only from selected clients).
 */
class HelmChartTest {

    static final String FULLNAME = "postern";

    @Test
    void lintsWithoutWarnings() {
        LintResult lint = new Helm(HelmChart.directory()).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {"", "monitoring", "existing-secret", "inline-secret", "hpa", "ipv6"})
    void everyRenderedObjectMatchesTheKubernetesSchemas(String valuesSet) {
        Manifests manifests = HelmChart.render(valuesSet.isEmpty() ? null : valuesSet);

        assertThat(manifests.names()).contains("StatefulSet/" + FULLNAME, "Service/" + FULLNAME,
                "Service/" + FULLNAME + "-headless", "ConfigMap/" + FULLNAME);
        assertThat(KubernetesSchema.problems(manifests)).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesWhatTheApiServerWouldRefuse() {
        Map<String, Object> typo = Manifests.parse("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  selector: {app: x}
                  ports: [{port: 25, targetPort: smtp, protocoll: TCP}]
                """).all().getFirst();
        Map<String, Object> unquoted = Manifests.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x, labels: {tier: 1}}
                """).all().getFirst();
        Map<String, Object> wrongType = Manifests.parse("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: x}
                spec: {replicas: "2", serviceName: x, selector: {matchLabels: {a: b}}, template: {}}
                """).all().getFirst();

        assertThat(KubernetesSchema.problems(typo)).singleElement().asString()
                .contains("protocoll").contains(".spec.ports[0]");
        assertThat(KubernetesSchema.problems(unquoted)).singleElement().asString().contains("tier");
        assertThat(KubernetesSchema.problems(wrongType)).singleElement().asString().contains("replicas");
    }

    @Test
    void defaultsRunARestrictedPodThatDrainsWithinItsGracePeriod() {
        Manifests manifests = HelmChart.render(null);
        Map<String, Object> sts = manifests.get("StatefulSet", FULLNAME);
        Map<String, Object> pod = map(sts, "spec.template.spec");
        Map<String, Object> container = named(pod, "containers", "postern");
        Map<String, Object> config = applicationConfig(manifests);

        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(container, "securityContext.capabilities.drop")).containsExactly("ALL");
        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "resources.limits.memory")).isNotNull();
        assertThat(at(pod, "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")).isNotNull();

        // The grace period covers the drain, and a stopping replica hands its queue to the others.
        assertThat(at(config, "postern.drain.timeout")).isEqualTo("30s");
        assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).isGreaterThan(30);
        assertThat(at(config, "postern.drain.handoff")).isEqualTo("postern.mail.svc.cluster.local:25");

        // The listener, the management port and the spool volume agree with the configuration.
        assertThat(at(config, "postern.daemon-ports.0.addr")).isEqualTo("0.0.0.0");
        assertThat(at(config, "postern.daemon-ports.0.port")).isEqualTo(at(named(container, "ports", "smtp"), "containerPort"));
        assertThat(at(config, "server.port")).isEqualTo(at(named(container, "ports", "http"), "containerPort"));
        assertThat(at(config, "postern.spool.directory")).isEqualTo(at(named(container, "volumeMounts", "spool"), "mountPath"));
        assertThat(at(sts, "spec.volumeClaimTemplates.0.metadata.name")).isEqualTo("spool");
        assertThat(at(named(container, "env", "SPRING_CONFIG_ADDITIONAL_LOCATION"), "value"))
                .isEqualTo("file:" + at(named(container, "volumeMounts", "config"), "mountPath") + "/");
        // Relaying without AUTH only from private networks; never the whole internet.
        assertThat(list(config, "postern.policy.relay-networks")).doesNotContain("0.0.0.0/0", "::/0");
        // No AUTH users, smart host or certificate configured, so nothing is mounted for them.
        assertThat(config).containsOnlyKeys("postern", "server");
        assertThat(list(pod, "volumes")).extracting(v -> at(v, "name")).containsExactly("tmp", "config");

        // Optional objects stay off until switched on.
        assertThat(manifests.names()).noneMatch(n -> n.startsWith("ServiceMonitor/") || n.startsWith("PrometheusRule/")
                || n.startsWith("HorizontalPodAutoscaler/") || n.startsWith("Secret/"));
        assertThat(manifests.names()).contains("PodDisruptionBudget/" + FULLNAME, "NetworkPolicy/" + FULLNAME,
                "ServiceAccount/" + FULLNAME);
    }

    @Test
    void theSmtpServiceCarriesOnlySmtpAndTheNetworkPolicyAdmitsOnlySelectedClients() {
        Manifests manifests = HelmChart.render(null);
        Map<String, Object> smtp = manifests.get("Service", FULLNAME);
        Map<String, Object> headless = manifests.get("Service", FULLNAME + "-headless");
        Map<String, Object> policy = manifests.get("NetworkPolicy", FULLNAME);

        assertThat(at(smtp, "spec.type")).isEqualTo("ClusterIP");
        assertThat(list(smtp, "spec.ports")).singleElement()
                .satisfies(p -> {
                    assertThat(at(p, "port")).isEqualTo(25);
                    assertThat(at(p, "targetPort")).isEqualTo("smtp");
                });
        assertThat(at(headless, "spec.clusterIP")).isEqualTo("None");
        assertThat(list(headless, "spec.ports")).extracting(p -> at(p, "name")).containsExactly("smtp", "http");

        List<Object> rules = list(policy, "spec.ingress");
        assertThat(rules).hasSize(2);
        Object smtpRule = rules.get(0);
        Object metricsRule = rules.get(1);
        assertThat(at(smtpRule, "ports.0.port")).isEqualTo("smtp");
        assertThat(list(smtpRule, "from")).isNotEmpty().allSatisfy(peer -> assertThat((Map<?, ?>) peer).isNotEmpty());
        assertThat(at(metricsRule, "ports.0.port")).isEqualTo("http");
        assertThat(list(metricsRule, "from")).singleElement().satisfies(peer -> {
            assertThat(at(peer, "namespaceSelector.matchLabels")).isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
            assertThat(at(peer, "podSelector.matchLabels")).isEqualTo(Map.of("app.kubernetes.io/name", "prometheus"));
        });
    }

    @Test
    void monitoringSwitchesOnTheServiceMonitorAlertsAndDashboard() throws Exception {
        Manifests manifests = HelmChart.render("monitoring");
        Map<String, Object> monitor = manifests.get("ServiceMonitor", FULLNAME);
        Map<String, Object> headless = manifests.get("Service", FULLNAME + "-headless");
        Map<String, Object> smtp = manifests.get("Service", FULLNAME);
        Map<String, Object> rule = manifests.get("PrometheusRule", FULLNAME);
        Map<String, Object> dashboard = manifests.get("ConfigMap", FULLNAME + "-dashboard");

        // The ServiceMonitor picks the headless Service (which has the http port), not the SMTP one.
        Map<String, Object> selector = map(monitor, "spec.selector.matchLabels");
        assertThat(map(headless, "metadata.labels")).containsAllEntriesOf(cast(selector));
        assertThat(map(smtp, "metadata.labels")).doesNotContainEntry("app.kubernetes.io/component", "peers");
        assertThat(at(monitor, "spec.endpoints.0.port")).isEqualTo("http");
        assertThat(at(monitor, "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
        assertThat(map(monitor, "metadata.labels")).containsEntry("release", "kps");

        assertThat(list(rule, "spec.groups.0.rules")).extracting(r -> at(r, "alert")).contains(
                "PosternQueueBacklog", "PosternOldestMessageTooOld", "PosternBounceRateHigh",
                "PosternCircuitOpen", "PosternSpoolDiskLow", "PosternNotReady");

        assertThat(map(dashboard, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        assertThat(at(dashboard, "metadata.namespace")).isEqualTo("monitoring");
        assertThat(at(dashboard, "data.postern\\.json")).isNull();
        assertThat((String) map(dashboard, "data").get("postern.json"))
                .isEqualTo(Files.readString(HelmChart.directory().resolve("dashboards/postern.json")).strip());

        // promtool (in .ci/run) checks these exact rules.
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(Repository.renderedDirectory().resolve("postern-rules.yaml"),
                new Yaml(block).dump(Map.of("groups", list(rule, "spec.groups"))));
    }

    @Test
    void existingSecretsAreMountedWhereTheConfigurationReadsThem() {
        Manifests manifests = HelmChart.render("existing-secret");
        Map<String, Object> pod = map(manifests.get("StatefulSet", FULLNAME), "spec.template.spec");
        Map<String, Object> container = named(pod, "containers", "postern");
        Map<String, Object> config = applicationConfig(manifests);
        Map<String, Object> routing = map(config, "postern.routing");
        Map<String, Object> hostAuth = cast(map(routing, "auth").get("[smtp.provider.example]"));

        assertThat(manifests.ofKind("Secret")).isEmpty();
        assertThat(routing.get("smart-host")).isEqualTo("relay:[smtp.provider.example]:587");
        assertThat(hostAuth).containsEntry("username", "postern-prod").doesNotContainKey("password");
        Map<String, Object> smarthost = named(pod, "volumes", "smarthost");
        assertThat(at(smarthost, "secret.secretName")).isEqualTo("smtp-provider");
        assertThat(at(smarthost, "secret.items.0")).isEqualTo(Map.of("key", "smtp-password", "path", "password"));
        assertThat(hostAuth.get("password-file"))
                .isEqualTo(at(named(container, "volumeMounts", "smarthost"), "mountPath") + "/password");

        // AUTH users: a config tree, one file per user, under postern/auth/users.
        assertThat(at(named(pod, "volumes", "auth-users"), "secret.secretName")).isEqualTo("postern-users");
        assertThat(list(config, "spring.config.import")).containsExactly("optional:configtree:/etc/postern/configtree/");
        assertThat(at(named(container, "volumeMounts", "auth-users"), "mountPath"))
                .isEqualTo("/etc/postern/configtree/postern/auth/users");

        assertThat(at(named(pod, "volumes", "tls"), "secret.secretName")).isEqualTo("postern-tls");
        assertThat(at(config, "postern.tls.certificate")).isEqualTo("file:/etc/postern/tls/tls.crt");
        assertThat(at(named(container, "env", "SPRING_PROFILES_ACTIVE"), "value")).isEqualTo("production");
    }

    @Test
    void inlineCredentialsGoIntoSecretsNotIntoTheConfigMap() {
        Manifests manifests = HelmChart.render("inline-secret");
        Map<String, Object> smarthost = manifests.get("Secret", FULLNAME + "-smarthost");
        Map<String, Object> users = manifests.get("Secret", FULLNAME + "-auth-users");
        String configMap = (String) map(manifests.get("ConfigMap", FULLNAME), "data").get("application.yaml");

        assertThat(decode(map(smarthost, "data").get("password"))).isEqualTo("not-a-real-password");
        assertThat(map(users, "data")).containsOnlyKeys("app1", "billing.service");
        assertThat(decode(map(users, "data").get("app1"))).startsWith("{bcrypt}$2y$10$");
        assertThat(configMap).doesNotContain("not-a-real-password").doesNotContain("$2y$10$");
        // A changed user list rolls the pods (users are read at startup).
        assertThat(map(manifests.get("StatefulSet", FULLNAME), "spec.template.metadata.annotations"))
                .containsKeys("checksum/config", "checksum/auth-users");
    }

    @Test
    void autoscalingTargetsTheStatefulSetAndLeavesItsReplicasAlone() {
        Manifests manifests = HelmChart.render("hpa");
        Map<String, Object> hpa = manifests.get("HorizontalPodAutoscaler", FULLNAME);
        Map<String, Object> sts = manifests.get("StatefulSet", FULLNAME);

        assertThat(map(hpa, "spec.scaleTargetRef")).containsEntry("kind", "StatefulSet").containsEntry("name", FULLNAME);
        assertThat(at(hpa, "spec.minReplicas")).isEqualTo(2);
        assertThat(at(hpa, "spec.behavior.scaleDown.policies.0.value")).isEqualTo(1);
        assertThat(map(sts, "spec")).doesNotContainKey("replicas");
        assertThat(at(sts, "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"))
                .isNotNull();
        assertThat(at(applicationConfig(manifests), "postern.drain.handoff")).isEqualTo("postern.mail.svc.cluster.local:25");
    }

    @Test
    void ipv6ListensOnTheIpv6AnyAddressAndSendsOverIpv6() {
        Manifests manifests = HelmChart.render("ipv6");
        Map<String, Object> config = applicationConfig(manifests);

        assertThat(at(config, "postern.daemon-ports.0.addr")).isEqualTo("::");
        assertThat(at(config, "postern.daemon-ports.0.family")).isEqualTo("inet6");
        assertThat(at(config, "server.address")).isEqualTo("::");
        assertThat(list(config, "postern.client-ports")).containsExactly(Map.of("family", "inet6"));
        assertThat(at(config, "postern.client-family-preference")).isEqualTo("inet6");
        assertThat(list(config, "postern.policy.relay-networks")).containsExactly("::1/128", "fd00::/8");
        for (String service : List.of(FULLNAME, FULLNAME + "-headless")) {
            assertThat(list(manifests.get("Service", service), "spec.ipFamilies")).containsExactly("IPv6");
        }
    }

    @Test
    void oneReplicaKeepsItsQueueInsteadOfHandingItToItself() {
        Manifests manifests = HelmChart.render(null, Map.of("replicaCount", 1));

        assertThat(map(applicationConfig(manifests), "postern.drain")).doesNotContainKey("handoff");
    }

    @Test
    void refusesUnsafeOrMistypedValues() {
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("terminationGracePeriodSeconds", 30)))
                .hasMessageContaining("must exceed drain.timeoutSeconds");
        // A password where its hash belongs.
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("auth.users.alice", "secret")))
                .hasMessageContaining("auth/users/alice");
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("smartHost.host", "smtp.example.net",
                "smartHost.username", "u")))
                .hasMessageContaining("smartHost.password or smartHost.existingSecret");
        // values.schema.json: a misspelt key, and a privileged port for a non-root process.
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("replicas", 3)))
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("smtp.containerPort", 25)))
                .hasMessageContaining("containerPort");
    }

    @Test
    void notesTellWhereToSendMailAndWhatIsStillOpen() {
        String notes = new Helm(HelmChart.directory()).install().withName(HelmChart.RELEASE)
                .withNamespace(HelmChart.NAMESPACE).withKubeVersion(HelmChart.KUBE_VERSION).dryRun().clientOnly()
                .call().getOutput();

        assertThat(notes).contains("spring.mail.host=postern.mail.svc")
                .contains("kubectl label namespace <app-namespace> postern.io/smtp-client=true")
                .contains("127.0.0.0/8, ::1/128, 10.0.0.0/8")
                .contains("No smart host is set")
                .contains("self-signed certificate")
                .contains("Monitoring is off");
    }

    @Test
    void everyValueIsInTheSchemaAndTheChartReadme() throws Exception {
        Map<String, Object> values = new Yaml().load(Files.readString(HelmChart.directory().resolve("values.yaml")));
        Map<String, Object> schema = cast(new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(HelmChart.directory().resolve("values.schema.json").toFile(), Map.class));
        String readme = Files.readString(HelmChart.directory().resolve("README.md"));

        assertThat(map(schema, "properties").keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(values.keySet().stream(), java.util.stream.Stream.of("global")).toList());
        assertThat(values.keySet()).allSatisfy(key -> assertThat(readme).as("README row for %s", key)
                .containsAnyOf("`" + key + "`", "`" + key + "."));
    }

    /** The application.yaml in the chart's ConfigMap, parsed. */
    static Map<String, Object> applicationConfig(Manifests manifests) {
        String text = (String) map(manifests.get("ConfigMap", FULLNAME), "data").get("application.yaml");
        return new Yaml().load(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
    }
}
