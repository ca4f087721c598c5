package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and its provisioning hold together (the IT checks the metric names against live
 * scrapes), and the PromQL reading that the check relies on finds metric names and nothing else.
 */
class DashboardTest {

    @Test
    void shouldLoadAsAProvisionableDashboardWithUniquePanelsOnThePrometheusVariable() {
        Dashboard d = Dashboard.load();
        assertThat(d.json().path("uid").asText()).isNotBlank();
        assertThat(d.json().path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        Set<Integer> ids = new HashSet<>();
        for (Dashboard.Panel p : d.panels()) {
            assertThat(ids.add(p.id())).as("panel id %s unique", p.id()).isTrue();
            assertThat(p.title()).isNotBlank();
            assertThat(p.type()).isIn("row", "timeseries", "stat", "bargauge", "table", "text");
            if (!p.type().equals("row") && !p.type().equals("text")) {
                assertThat(p.exprs()).as("panel '%s' queries", p.title()).isNotEmpty();
                assertThat(p.datasourceUids()).as("panel '%s' datasource", p.title()).isNotEmpty().allMatch("${datasource}"::equals);
            }
        }
        JsonNode variable = d.json().path("templating").path("list").get(0);
        assertThat(variable.path("name").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        assertThat(d.panels()).extracting(Dashboard.Panel::title)
                .contains("Events processed /s", "Alerts firing now, by severity", "Consumer lag (records, max per pod)", "Commit latency (ms)",
                        "Restore progress", "Dead-lettered events /s, by reason", "Deliveries /s, by receiver and outcome",
                        "Retries /s, by receiver and reason", "Failures: dead letters /s, by receiver and reason");
    }

    @Test
    void shouldProvisionTheDashboardFolderAndThePrometheusDatasourceTheComposeStackMounts() {
        JsonNode ds = Yaml.single(Repo.path("docker/grafana/provisioning/datasources/datasources.yml"));
        assertThat(ds.path("datasources")).anySatisfy(d -> {
            assertThat(d.path("type").asText()).isEqualTo("prometheus");
            assertThat(d.path("url").asText()).isEqualTo("http://prometheus:9090");
        });
        JsonNode providers = Yaml.single(Repo.path("docker/grafana/provisioning/dashboards/agentwatch.yml"));
        String path = providers.path("providers").get(0).path("options").path("path").asText();
        JsonNode grafana = Yaml.single(Repo.path("docker/compose.yml")).path("services").path("grafana");
        assertThat(grafana.path("volumes")).anySatisfy(v -> assertThat(v.asText()).isEqualTo("./grafana/dashboards:" + path + ":ro"));
    }

    @Test
    void shouldReadMetricNamesOutOfPromQl() {
        assertThat(PromQl.metricNames("sum by (alertname, severity) (increase(agentwatch_alerts_emitted_total{service=\"x\",status=\"firing\"}[$__range]))"))
                .containsExactly("agentwatch_alerts_emitted_total");
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, receiver) (rate(a_seconds_bucket{s=\"1\"}[5m])))"))
                .containsExactly("a_seconds_bucket");
        assertThat(PromQl.metricNames("max(x_total offset 5m) / on (instance) group_left (pod) y_info > 2 and z == bool 1"))
                .containsExactly("x_total", "y_info", "z");
        assertThat(PromQl.metricNames("up{job=\"stream-processor\"} == 0")).containsExactly("up");
    }

    @Test
    void shouldReportAPanelThatQueriesAMetricNobodyExports() {
        Set<String> exported = Set.of("agentwatch_events_processed_total");
        assertThat(ImagesAndDashboardIT.missing(Dashboard.load(), exported)).isNotEmpty()
                .containsKey("Commit latency (ms)");
        assertThat(ImagesAndDashboardIT.missingInRules(Set.copyOf(List.of("agentwatch_events_processed_total"))))
                .containsKey("AgentwatchProcessorLagHigh").doesNotContainKey("AgentwatchNoEventsProcessed").doesNotContainKey("AgentwatchSinkDown");
    }
}
