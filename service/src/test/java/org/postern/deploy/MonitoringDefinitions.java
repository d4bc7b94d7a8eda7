package org.postern.deploy;

import static org.postern.deploy.Manifests.at;
import static org.postern.deploy.Manifests.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL that operators see: every query of the Grafana dashboard (panels and template
 * variables) and every alert of the chart's PrometheusRule, and the metric names each uses.
 * Tests hold these names against {@code docs/metrics.md} and against a real scrape, so the
 * dashboard, the alerts and the service cannot drift apart.
 */
public final class MonitoringDefinitions {

    /**
     * Metrics that come from elsewhere in a cluster, not from Postern: kubelet's volume statistics,
     * kube-state-metrics' pod readiness and Prometheus's own {@code up}.
     */
    public static final Set<String> EXTERNAL = Set.of(
            "kubelet_volume_stats_available_bytes",
            "kubelet_volume_stats_capacity_bytes",
            "kube_pod_status_ready",
            "up");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan", "le", "atan2");

    private MonitoringDefinitions() {
    }

    /** Each dashboard query, keyed by "panel title / refId" or "variable name". */
    public static Map<String, String> dashboardQueries() {
        JsonNode dashboard;
        try {
            dashboard = new ObjectMapper().readTree(
                    Files.readString(HelmChart.directory().resolve("dashboards/postern.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.put("variable " + variable.path("name").asText(), variable.path("query").path("query").asText());
            }
        }
        return queries;
    }

    /** Each alert's expression, by alert name, from the chart rendered with monitoring on. */
    public static Map<String, String> alertExpressions() {
        Manifests manifests = HelmChart.render("monitoring");
        Map<String, String> alerts = new LinkedHashMap<>();
        for (Object group : list(manifests.get("PrometheusRule", HelmChart.RELEASE), "spec.groups")) {
            for (Object rule : list(group, "rules")) {
                alerts.put((String) at(rule, "alert"), (String) at(rule, "expr"));
            }
        }
        return alerts;
    }

    /**
     * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) selects:
     * identifiers that are not functions, keywords, label names in matchers or groupings, or
     * strings, durations and Grafana variables.
     */
    public static Set<String> metricNames(String expr) {
        String text = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")     // strings (label values, regexes)
                .replaceAll("\\{[^}]*}", "{}")                          // label matchers
                .replaceAll("\\[[^]]*]", "[]")                          // ranges, [$__rate_interval]
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");                            // Grafana variables
        if (text.startsWith("label_values(")) {
            // label_values(metric{...}, label): the label is not a metric.
            text = text.replaceAll(",\\s*\\w+\\s*\\)\\s*$", ")");
        }
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(name) && !name.matches("[0-9.]+[a-z]*")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every metric name used by the dashboard and the alerts. */
    public static Set<String> allMetricNames() {
        Set<String> names = new TreeSet<>();
        dashboardQueries().values().forEach(q -> names.addAll(metricNames(q)));
        alertExpressions().values().forEach(q -> names.addAll(metricNames(q)));
        return names;
    }

    /**
     * The series name as {@code docs/metrics.md} lists it: a histogram's {@code _bucket},
     * {@code _count}, {@code _sum} and {@code _max} series belong to its base name.
     */
    public static String documentedName(String name) {
        return name.replaceAll("_(bucket|count|sum|max)$", "");
    }

    /** The metric names {@code docs/metrics.md} documents: the first column of its tables. */
    public static Set<String> documentedMetrics() {
        String doc;
        try {
            doc = Files.readString(Repository.root().resolve("docs/metrics.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*`([a-z][a-z0-9_:]*)`\\s*\\|").matcher(doc);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
