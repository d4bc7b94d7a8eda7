package org.postern.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts use only metrics that {@code docs/metrics.md} documents (or that
 * come from the cluster: kubelet, kube-state-metrics, Prometheus), and cover what an operator of a
 * relay watches. {@code DashboardMetricsScenarioTest} checks the same names against a real scrape.
 */
class MonitoringDefinitionsTest {

    @Test
    void metricNamesAreReadFromPromql() {
        assertThat(MonitoringDefinitions.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(postern_delivery_duration_seconds_bucket"
                        + "{namespace=\"$namespace\", pod=~\"$pod\"}[$__rate_interval])))"))
                .containsExactly("postern_delivery_duration_seconds_bucket");
        assertThat(MonitoringDefinitions.metricNames(
                "sum by (namespace) (rate(a_total{job=\"x\"}[15m])) / (b_total or 0 * c) > 1e-3 and up == 0"))
                .containsExactly("a_total", "b_total", "c", "up");
        assertThat(MonitoringDefinitions.metricNames("label_values(postern_queue_messages{namespace=\"$namespace\"}, pod)"))
                .containsExactly("postern_queue_messages");
        assertThat(MonitoringDefinitions.documentedName("postern_delivery_duration_seconds_count"))
                .isEqualTo("postern_delivery_duration_seconds");
    }

    @Test
    void everyPosternMetricUsedIsDocumented() {
        Set<String> documented = MonitoringDefinitions.documentedMetrics();
        assertThat(documented).contains("postern_messages_received_total", "postern_queue_messages");

        Set<String> undocumented = new TreeSet<>();
        for (String name : MonitoringDefinitions.allMetricNames()) {
            boolean external = MonitoringDefinitions.EXTERNAL.contains(name);
            // Resilience4j names its own meters; the scrape test proves they are exposed.
            boolean resilience4j = name.startsWith("resilience4j_");
            if (!external && !resilience4j && !documented.contains(MonitoringDefinitions.documentedName(name))) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).as("metrics used by the dashboard or the alerts but missing from docs/metrics.md")
                .isEmpty();
    }

    @Test
    void theDashboardHasAPanelForEachConcern() {
        Map<String, String> queries = MonitoringDefinitions.dashboardQueries();
        Set<String> used = new TreeSet<>();
        queries.values().forEach(q -> used.addAll(MonitoringDefinitions.metricNames(q)));

        assertThat(queries.keySet()).anyMatch(k -> k.startsWith("Accepted and rejected messages"))
                .anyMatch(k -> k.startsWith("Delivered recipients"))
                .anyMatch(k -> k.startsWith("Queue by state"))
                .anyMatch(k -> k.startsWith("Oldest message age"))
                .anyMatch(k -> k.startsWith("Delivery latency"))
                .anyMatch(k -> k.startsWith("Bounces and deferrals"))
                .anyMatch(k -> k.startsWith("Circuit breakers"))
                .anyMatch(k -> k.startsWith("Spool usage"));
        assertThat(used).contains("postern_messages_received_total", "postern_recipients_delivered_total",
                "postern_queue_messages", "postern_queue_oldest_message_age_seconds",
                "postern_delivery_duration_seconds_bucket", "postern_recipients_bounced_total",
                "postern_recipients_deferred_total", "resilience4j_circuitbreaker_state", "postern_spool_bytes");
        assertThat(queries.entrySet()).filteredOn(e -> e.getKey().startsWith("Delivery latency"))
                .extracting(Map.Entry::getValue)
                .anyMatch(q -> q.startsWith("histogram_quantile(0.99,"))
                .anyMatch(q -> q.startsWith("histogram_quantile(0.5,"));
        // Every panel query is scoped to the chosen namespace.
        assertThat(queries.entrySet()).filteredOn(e -> !e.getKey().startsWith("variable "))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).contains("namespace=\"$namespace\""));
    }

    @Test
    void theAlertsCoverBacklogAgeBouncesCircuitsDiskAndReadiness() {
        Map<String, String> alerts = MonitoringDefinitions.alertExpressions();

        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternQueueBacklog"))).containsExactly("postern_queue_messages");
        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternOldestMessageTooOld")))
                .containsExactly("postern_queue_oldest_message_age_seconds");
        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternBounceRateHigh")))
                .containsExactly("postern_recipients_bounced_total", "postern_recipients_delivered_total");
        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternCircuitOpen")))
                .containsExactly("resilience4j_circuitbreaker_state");
        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternSpoolDiskLow")))
                .containsExactly("kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes");
        assertThat(alerts.get("PosternSpoolDiskLow")).contains("persistentvolumeclaim=~\"spool-postern-[0-9]+\"");
        assertThat(MonitoringDefinitions.metricNames(alerts.get("PosternNotReady"))).containsExactly("kube_pod_status_ready");
        // Scoped to the release's own series.
        assertThat(alerts.get("PosternQueueBacklog")).contains("namespace=\"mail\", job=\"postern-headless\"");
    }
}
