package io.agentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Prometheus names the README lists and the Grafana dashboard uses: a rename must fail here first. */
class SinkMetricsTest {
    @Test
    void shouldExportTheDocumentedMetricNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SinkMetrics m = new SinkMetrics(registry);
        m.received("firing");
        m.delivered("pd", "pagerduty", 5_000_000);
        m.deadLettered("slack", "slack", "http_400");
        m.undecodable("unknown-magic-byte");
        m.retry("pd", "http_503");
        m.suppressed("inhibited");
        m.refresh("am", "ok");
        m.gauge("agentwatch.sink.consumer.lag", "lag", () -> 3);
        m.gauge("agentwatch.sink.alerts.in.flight", "in flight", () -> 1);
        m.gauge("agentwatch.sink.alerts.buffered", "buffered", () -> 2);

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("agentwatch_sink_alerts_received_total{status=\"firing\"} 1.0")
                .contains("agentwatch_sink_deliveries_total{outcome=\"delivered\",receiver=\"pd\",type=\"pagerduty\"} 1.0")
                .contains("agentwatch_sink_deliveries_total{outcome=\"dead_lettered\",receiver=\"slack\",type=\"slack\"} 1.0")
                .contains("agentwatch_sink_delivery_latency_seconds_bucket{receiver=\"pd\",type=\"pagerduty\",le=")
                .contains("agentwatch_sink_delivery_latency_seconds_count{receiver=\"pd\",type=\"pagerduty\"} 1")
                .contains("agentwatch_sink_dead_letters_total{reason=\"http_400\",receiver=\"slack\"} 1.0")
                .contains("agentwatch_sink_dead_letters_total{reason=\"unknown-magic-byte\",receiver=\"none\"} 1.0")
                .contains("agentwatch_sink_delivery_retries_total{reason=\"http_503\",receiver=\"pd\"} 1.0")
                .contains("agentwatch_sink_alerts_suppressed_total{reason=\"inhibited\"} 1.0")
                .contains("agentwatch_sink_alertmanager_refreshes_total{outcome=\"ok\",receiver=\"am\"} 1.0")
                .contains("agentwatch_sink_consumer_lag 3.0")
                .contains("agentwatch_sink_alerts_in_flight 1.0")
                .contains("agentwatch_sink_alerts_buffered 2.0");
    }
}
